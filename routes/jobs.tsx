/**
 * The job list `/monitoring/jobs/`: every job the viewer may see, filtered
 * by the URL query (cc-backend's filter presets), rendered on the server
 * and kept live by the `job_list_view` island.
 *
 * @module
 */
import { definePage } from "../server/render/define_page.ts";
import { Island } from "../server/render/island.tsx";
import type { JobListViewProps } from "../islands/lib/job_list_types.ts";
import { loadJobList } from "./job_list/job_list_data.ts";

/** The page content. */
export function JobsPage(props: JobListViewProps) {
  return <Island name="job_list_view" props={props} />;
}

/** `GET /monitoring/jobs/`. */
export const jobsPage = definePage({
  path: "/monitoring/jobs/",
  title: "Jobs - ClusterCockpit",
  load: (request) => loadJobList(request),
  Page: JobsPage,
});
