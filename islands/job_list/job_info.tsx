/**
 * The "Job Info" cell of a list row: job id and cluster, name, array job,
 * user, project, resources, times, state and tags, with links to the job,
 * user and filtered lists.
 *
 * @module
 */
import { formatTime } from "../lib/local_time.ts";
import { formatDuration } from "../lib/plot_units.ts";
import type { JobItem, TagInfo } from "../lib/job_list_types.ts";

const enc = encodeURIComponent;

/** Bootstrap colour of a job state badge. */
export function stateColor(state: string): string {
  return state === "running" ? "success" : state === "completed" ? "primary" : "danger";
}

/** A tag pill linking to the jobs carrying it, coloured by scope. */
export function TagPill({ tag }: { tag: TagInfo }) {
  const scope = tag.scope === "global" || tag.scope === "admin" ? tag.scope : "private";
  return (
    <a class={`badge rounded-pill cc-tag cc-tag-${scope}`} href={`/monitoring/jobs/?tag=${tag.id}`}>
      {tag.type}: {tag.name}
    </a>
  );
}

/** Props of {@link JobInfo}. */
export interface JobInfoProps {
  job: JobItem;
  /** Whether the job is in the comparison selection. */
  selected: boolean;
  onSelect: () => void;
}

/** The cell. */
export function JobInfo({ job, selected, onSelect }: JobInfoProps) {
  const name = typeof job.metaData?.jobName === "string" ? job.metaData.jobName : "";
  const realName = job.userData?.name;
  return (
    <div class="cc-job-info">
      <div>
        <a href={`/monitoring/job/${job.id}`} target="_blank" class="fw-bold">{job.jobId}</a>{" "}
        ({job.cluster})
        <button
          type="button"
          class="btn btn-link btn-sm p-0 ms-1"
          title="Add or Remove Job to/from Comparison Selection"
          aria-label="Add or Remove Job to/from Comparison Selection"
          aria-pressed={selected}
          onClick={onSelect}
        >
          <i class={`bi bi-${selected ? "check-square-fill" : "plus-square"}`}></i>
        </button>
        <button
          type="button"
          class="btn btn-link btn-sm p-0 ms-1"
          title="Copy job id to clipboard"
          aria-label="Copy job id to clipboard"
          onClick={() => navigator.clipboard?.writeText(String(job.jobId))}
        >
          <i class="bi bi-clipboard"></i>
        </button>
      </div>
      {name && (
        <div class="text-truncate" title={name}>
          {name.length > 20 ? `${name.slice(0, 20)}…` : name}
        </div>
      )}
      {job.arrayJobId > 0 && (
        <div>
          Array Job:{" "}
          <a href={`/monitoring/jobs/?arrayJobId=${job.arrayJobId}&cluster=${enc(job.cluster)}`}>
            #{job.arrayJobId}
          </a>
        </div>
      )}
      <div>
        <i class="bi bi-person-fill"></i>{" "}
        <a href={`/monitoring/user/${enc(job.user)}`}>{job.user}</a>
        {realName ? ` (${realName})` : ""}
        {job.project && job.project !== "no project" && (
          <>
            {" "}
            <i class="bi bi-people-fill"></i>{" "}
            <a href={`/monitoring/jobs/?project=${enc(job.project)}&projectMatch=eq`}>
              {job.project}
            </a>
          </>
        )}
      </div>
      <div>
        {job.numNodes === 1 ? <span>{job.resources[0]?.hostname}</span> : (
          <span>
            {job.numNodes} <i class="bi bi-hdd-stack" title="nodes"></i>
          </span>
        )}
        {job.shared !== "none" && " (shared)"}
        {job.numAcc > 0 && (
          <span>
            , {job.numAcc} <i class="bi bi-gpu-card" title="accelerators"></i>
          </span>
        )}
        {job.numHWThreads > 0 && (
          <span>
            , {job.numHWThreads} <i class="bi bi-cpu" title="hwthreads"></i>
          </span>
        )}
        <span class="text-body-secondary">, {job.subCluster}</span>
      </div>
      <div>Start: {formatTime(job.startTime)}</div>
      <div>
        Duration: {formatDuration(job.duration)}{" "}
        <span class={`badge text-bg-${stateColor(job.state)}`}>{job.state}</span>
      </div>
      {job.walltime > 0 && <div>Walltime: {formatDuration(job.walltime)}</div>}
      {job.tags.length > 0 && (
        <div class="d-flex flex-wrap gap-1 mt-1">
          {job.tags.map((t) => <TagPill key={t.id} tag={t} />)}
        </div>
      )}
    </div>
  );
}
