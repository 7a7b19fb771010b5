/**
 * The periodic refresher of cc-backend's `Refresher.svelte`: an interval
 * selector (No Interval, 30 s, 60 s, two and five minutes) and a "Refresh"
 * button that is disabled while an interval runs. Used by the job lists and
 * by the metric grid of a running job's view.
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { type JobRef, withoutMetricData } from "./job_types.ts";

/** The selectable intervals in seconds (0: no interval) and their labels. */
export const REFRESH_INTERVALS: readonly [number, string][] = [
  [0, "No Interval"],
  [30, "30 Seconds"],
  [60, "60 Seconds"],
  [120, "Two Minutes"],
  [300, "5 Minutes"],
];

/** Whether the job view refreshes the job's metrics: running jobs with metric data. */
export function refreshesMetrics(job: Pick<JobRef, "state" | "monitoringStatus">): boolean {
  return job.state === "running" && !withoutMetricData(job);
}

/** The selector and button; `onRefresh` runs on every tick and click. */
export function Refresher(props: { onRefresh: () => void }) {
  const [interval, setInterval_] = useState(0);
  const refresh = useRef(props.onRefresh);
  refresh.current = props.onRefresh;
  useEffect(() => {
    if (!interval) return;
    const id = setInterval(() => refresh.current(), interval * 1000);
    return () => clearInterval(id);
  }, [interval]);
  return (
    <div class="input-group cc-refresher">
      <select
        class="form-select"
        aria-label="Periodic refresh interval"
        title="Periodic refresh interval"
        value={interval}
        onChange={(e) => setInterval_(Number((e.target as HTMLSelectElement).value))}
      >
        {REFRESH_INTERVALS.map(([s, label]) => <option key={s} value={s}>{label}</option>)}
      </select>
      <button
        type="button"
        class="btn btn-outline-success"
        disabled={interval > 0}
        onClick={props.onRefresh}
      >
        <i class="bi bi-arrow-clockwise"></i> Refresh
      </button>
    </div>
  );
}
