/**
 * Job comparison as a page, `/monitoring/jobs/compare?dbId=<id>&dbId=...`:
 * the comparison cc-backend shows inside its job lists (§3.4), for a set of
 * database ids (the `dbId` parameter of the job list). Jobs the viewer may
 * not see are left out by the query; the metrics are the viewer's job-list
 * metrics (of the cluster when all jobs share one).
 *
 * @module
 */
import { jobVisibilityCondition } from "../server/auth/job_visibility.ts";
import { JobQuery } from "../server/db/mod.ts";
import { AppError } from "../server/errors.ts";
import { definePage } from "../server/render/define_page.ts";
import { Island } from "../server/render/island.tsx";
import { userUiConfig } from "../server/render/ui_config.ts";
import { metricSelection, uiSetting } from "./job/ui_settings.ts";
import type { JobCompareProps } from "../islands/job_compare.tsx";

/** Most jobs one comparison takes (cc-backend's client-side limit). */
export const COMPARE_LIMIT = 500;

/** Props of {@link JobComparePage}. */
export interface JobComparePageData {
  ids: number[];
  compare: JobCompareProps;
}

/** The page content. */
export function JobComparePage(props: JobComparePageData) {
  const back = `/monitoring/jobs/?${props.ids.map((id) => `dbId=${id}`).join("&")}`;
  return (
    <>
      <div class="d-flex flex-wrap align-items-center gap-2 mb-3">
        <h2 class="h4 mb-0 me-auto">Compare {props.ids.length} Jobs</h2>
        <a class="btn btn-outline-secondary btn-sm" href={back}>
          <i class="bi bi-arrow-left me-1" aria-hidden="true"></i>Return to List
        </a>
      </div>
      <Island name="job_compare" props={props.compare} />
    </>
  );
}

/** `GET /monitoring/jobs/compare`. */
export const jobComparePage = definePage({
  path: "/monitoring/jobs/compare",
  title: "Compare Jobs - ClusterCockpit",
  load({ c, user, deps }) {
    const raw = c.req.queries("dbId") ?? [];
    const ids = [...new Set(raw.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean))];
    if (ids.length === 0) throw new AppError(400, "cannot compare jobs: no dbId parameter given");
    if (ids.length > COMPARE_LIMIT) {
      throw new AppError(
        400,
        `cannot compare ${ids.length} jobs: at most ${COMPARE_LIMIT} at once`,
      );
    }
    const bad = ids.find((id) => !/^[0-9]{1,15}$/.test(id));
    if (bad !== undefined) {
      throw new AppError(400, `cannot compare jobs: invalid dbId ${JSON.stringify(bad)}`);
    }
    const numeric = ids.map(Number);
    const jobs = new JobQuery(deps.db, { now: deps.now }).list({
      filters: [{ dbId: numeric }],
      visibility: jobVisibilityCondition(user),
    });
    const clusters = [...new Set(jobs.map((j) => j.cluster))];
    const ui = userUiConfig(deps, user);
    const metrics = metricSelection(ui, "metricConfig_jobListMetrics", {
      cluster: clusters.length === 1 ? clusters[0] : undefined,
    });
    const units: Record<string, string> = {};
    for (const name of clusters) {
      for (const mc of deps.archive.cluster(name)?.metricConfig ?? []) {
        units[mc.name] ??= `${mc.unit.prefix ?? ""}${mc.unit.base}`;
      }
    }
    return {
      ids: numeric,
      compare: {
        filter: [{ dbId: ids }],
        metrics,
        units,
        lineWidth: uiSetting(ui, { key: "plotConfiguration_lineWidth", fallback: 3 }),
        colorblind: uiSetting(ui, { key: "plotConfiguration_colorblindMode", fallback: false }),
      },
    };
  },
  Page: JobComparePage,
});
