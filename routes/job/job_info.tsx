/**
 * The job info card of the job view: ids, name, array job, user and
 * project, resources, times and state, and the tag manager island. Every
 * job-supplied string goes through Preact's escaping; long names are cut
 * with an ellipsis and shown whole in the tooltip.
 *
 * @module
 */
import type { Job } from "../../server/archive/types.ts";
import { Island } from "../../server/render/island.tsx";
import { formatDuration } from "../../islands/lib/plot_units.ts";
import type { TagItem, TagViewer } from "../../islands/lib/job_tag_rules.ts";

const enc = encodeURIComponent;

/** `YYYY-MM-DD HH:MM:SS` in the server's time zone. */
export function formatDateTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Bootstrap colour of a job state badge. */
export function stateColor(state: string): string {
  if (state === "running") return "success";
  if (state === "completed") return "primary";
  return "danger";
}

/** Props of {@link JobInfo}. */
export interface JobInfoProps {
  job: Job;
  userName: string | null;
  tags: TagItem[];
  allTags: TagItem[];
  viewer: TagViewer;
}

/** The job info card body. */
export function JobInfo({ job, userName, tags, allTags, viewer }: JobInfoProps) {
  const name = job.metaData?.jobName ?? "";
  const numHw = job.numHwthreads ?? 0;
  const numAcc = job.numAcc ?? 0;
  return (
    <div class="cc-job-info">
      <p class="mb-2">
        <span class="fw-bold">
          <a href={`/monitoring/job/${job.id}`}>{job.jobId}</a> ({job.cluster})
        </span>
        {name && <span class="d-block text-truncate cc-job-name" title={name}>{name}</span>}
        {job.arrayJobId
          ? (
            <span class="d-block">
              Array Job:{" "}
              <a
                href={`/monitoring/jobs/?arrayJobId=${job.arrayJobId}&cluster=${enc(job.cluster)}`}
              >
                #{job.arrayJobId}
              </a>
            </span>
          )
          : null}
      </p>
      <p class="mb-2 text-break">
        <i class="bi bi-person-fill" aria-hidden="true"></i>{" "}
        <a class="fst-italic" href={`/monitoring/user/${enc(job.user)}`}>{job.user}</a>
        {userName && ` (${userName})`}
        {job.project && job.project !== "no project" && (
          <>
            <br />
            <i class="bi bi-people-fill" aria-hidden="true"></i>{" "}
            <a
              class="fst-italic"
              href={`/monitoring/jobs/?project=${enc(job.project)}&projectMatch=eq`}
            >
              {job.project}
            </a>
          </>
        )}
      </p>
      <p class="mb-2 text-break">
        {job.numNodes === 1 ? job.resources[0]?.hostname : job.numNodes}{" "}
        <i class="bi bi-pc-horizontal" aria-label="nodes"></i>
        {job.shared !== "none" && " (shared)"}
        {numAcc > 0 && (
          <>
            , {numAcc} <i class="bi bi-gpu-card" aria-label="accelerators"></i>
          </>
        )}
        {numHw > 0 && (
          <>
            , {numHw} <i class="bi bi-cpu" aria-label="hardware threads"></i>
          </>
        )}
        <br />
        {job.subCluster}
      </p>
      <p class="mb-2">
        Start: <span class="fw-bold">{formatDateTime(job.startTime)}</span>
        <br />
        Duration: <span class="fw-bold">{formatDuration(job.duration)}</span>{" "}
        <span class={`badge text-bg-${stateColor(job.jobState)}`}>{job.jobState}</span>
        {job.walltime
          ? (
            <>
              <br />
              Walltime: <span class="fw-bold">{formatDuration(job.walltime)}</span>
            </>
          )
          : null}
      </p>
      <Island name="job_tags" props={{ jobId: job.id!, tags, allTags, viewer }} />
    </div>
  );
}
