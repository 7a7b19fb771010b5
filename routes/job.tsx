/**
 * The single job view `/monitoring/job/:id` (database id): job info with
 * tags, admin note and concurrent jobs; footprint bars and polar plot;
 * roofline; energy summary; the metric plot grid; statistics table, job
 * script and Slurm info. Server-rendered; the plots, the tag manager and
 * the statistics table are islands that fetch over GraphQL.
 *
 * @module
 */
import { definePage } from "../server/render/define_page.ts";
import { Island } from "../server/render/island.tsx";
import { AppError } from "../server/errors.ts";
import { CssTabs, type Tab } from "./job/css_tabs.tsx";
import { JobInfo } from "./job/job_info.tsx";
import { type JobPageData, loadJobPage } from "./job/job_page_data.ts";
import { EnergySummary, FootprintBars } from "./job/job_summary.tsx";
import { withoutMetricData } from "../islands/lib/job_types.ts";

function TopCard(props: JobPageData) {
  const { job } = props;
  const tabs: Tab[] = [];
  const note = job.metaData?.message;
  if (note) {
    tabs.push({
      title: "Admin Note",
      content: (
        <div class="card border-warning m-2">
          <div class="card-body">
            <h6 class="card-title">
              Job {job.jobId} ({job.cluster}) The following note was added by administrators:
            </h6>
            <p class="card-text cc-pre-wrap">{note}</p>
          </div>
        </div>
      ),
    });
  }
  tabs.push({
    title: "Job Info",
    content: (
      <div class="p-2">
        <JobInfo
          job={job}
          userName={props.userName}
          tags={props.tags}
          allTags={props.allTags}
          viewer={props.viewer}
        />
      </div>
    ),
  });
  if (props.concurrent) {
    const { items, listQuery } = props.concurrent;
    tabs.push({
      title: `${items.length} Concurrent Jobs`,
      content: (
        <div class="p-2">
          <p>
            {items.length}{" "}
            Jobs running on the same node with overlapping runtimes using shared resources. ({" "}
            <a href={`/monitoring/jobs/?${listQuery}`}>See All</a> )
          </p>
          <ul class="list-unstyled row row-cols-3 g-1">
            {items.map((c) => (
              <li key={c.id} class="col">
                {props.linkConcurrent ? <a href={`/monitoring/job/${c.id}`}>{c.jobId}</a> : c.jobId}
              </li>
            ))}
          </ul>
        </div>
      ),
    });
  }
  return (
    <div class="card h-100">
      <CssTabs name="job-top" tabs={tabs} />
    </div>
  );
}

function SummaryCard(props: JobPageData) {
  const { footprint, polar } = props.switches;
  const polarIsland = (
    <Island
      name="job_polar"
      props={{
        jobId: props.ref.id,
        metrics: props.polarMetrics,
        disabled: withoutMetricData(props.ref),
      }}
    />
  );
  if (!footprint && !polar) {
    return (
      <div class="card h-100">
        <div class="card-body text-body-secondary">
          Footprint and PolarPlot Display Disabled.
        </div>
      </div>
    );
  }
  const bars = <FootprintBars bars={props.footprint} />;
  return (
    <div class="card h-100">
      {footprint && polar
        ? (
          <CssTabs
            name="job-summary"
            tabs={[{ title: "Footprint", content: bars }, { title: "Polar", content: polarIsland }]}
          />
        )
        : (
          <>
            <div class="card-header">{footprint ? "Footprint" : "Polar"}</div>
            {footprint ? bars : polarIsland}
          </>
        )}
    </div>
  );
}

function BottomCard(props: JobPageData) {
  const meta = props.job.metaData ?? {};
  const tabs: Tab[] = [];
  if (props.switches.statTable) {
    tabs.push({
      title: "Statistics Table",
      content: (
        <Island
          name="job_stats_table"
          props={{
            job: props.ref,
            metrics: props.metrics,
            selected: props.tableMetrics,
          }}
        />
      ),
    });
  }
  tabs.push({
    title: "Job Script",
    content: meta.jobScript
      ? <pre class="m-2 cc-job-script">{meta.jobScript}</pre>
      : <p class="m-2 text-body-secondary">No job script available</p>,
  });
  tabs.push({
    title: "Slurm Info",
    content: meta.slurmInfo
      ? <pre class="m-2 cc-job-script">{meta.slurmInfo}</pre>
      : <p class="m-2 text-body-secondary">No additional slurm information available</p>,
  });
  return (
    <div class="card mb-3">
      <CssTabs name="job-bottom" tabs={tabs} />
    </div>
  );
}

/** The job view content. */
export function JobPage(props: JobPageData) {
  const { job, ref } = props;
  const energy = job.energyFootprint ?? {};
  return (
    <>
      <div class="row g-3 mb-3">
        <div class="col-12 col-md-6 col-xl-3">
          <TopCard {...props} />
        </div>
        <div class="col-12 col-md-6 col-xl-4 col-xxl-3">
          <SummaryCard {...props} />
        </div>
        {props.switches.roofline && (
          <div class="col-12 col-xl-5 col-xxl-6">
            <div class="card h-100">
              <Island
                name="job_roofline"
                props={{
                  jobId: ref.id,
                  roof: props.roof,
                  colorblind: props.settings.colorblind,
                  disabled: withoutMetricData(ref),
                }}
              />
            </div>
          </div>
        )}
      </div>
      {Object.keys(energy).length > 0 && (
        <EnergySummary
          energyFootprint={energy}
          energy={job.energy ?? 0}
          emission={props.emission}
        />
      )}
      <Island
        name="job_metrics"
        props={{
          job: ref,
          metrics: props.metrics,
          disabledMetrics: props.disabledMetrics,
          selected: props.plotMetrics,
          counts: props.counts,
          settings: props.settings,
          resampling: props.resampling,
        }}
      />
      <BottomCard {...props} />
    </>
  );
}

/** `GET /monitoring/job/:id`. */
export const jobPage = definePage({
  path: "/monitoring/job/:id{[0-9]+}",
  title: (data: JobPageData) => `Job ${data.job.jobId} - ClusterCockpit`,
  load({ c, user, deps }) {
    const raw = c.req.param("id") ?? "";
    if (!/^[0-9]{1,15}$/.test(raw)) throw new AppError(404, `cannot find job with id ${raw}`);
    return loadJobPage(deps, { user, id: Number(raw) });
  },
  Page: JobPage,
});
