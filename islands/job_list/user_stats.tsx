/**
 * The statistics header of the user view: who, how many jobs, how many
 * short ones, walltime, core and accelerator hours, then the duration and
 * node-count histograms and the selected footprint histograms.
 *
 * @module
 */
import { formatDuration, formatNumber } from "../lib/plot_units.ts";
import type { UserHeader, UserStatistics } from "../lib/job_list_types.ts";
import { Histogram } from "./histogram.tsx";
import { Note } from "./job_row.tsx";

/** Props of {@link UserStats}. */
export interface UserStatsProps {
  user: UserHeader;
  stats?: UserStatistics | null;
  error?: string;
  /** Short-job cutoff in seconds. */
  shortJobs: number;
  /** Footprint histograms asked for. */
  histograms: string[];
  metricBins: number;
  onMetricBins: (bins: number) => void;
  onChooseHistograms: () => void;
}

function Num({ value }: { value: number }) {
  return <span title={String(value)}>{formatNumber(value)}</span>;
}

/** The header and the histograms. */
export function UserStats(props: UserStatsProps) {
  const s = props.stats;
  return (
    <div class="row mb-3 g-3 cc-user-stats">
      <div class="col-12 col-lg-4">
        <table class="table table-sm">
          <tbody>
            <tr>
              <th scope="row">Username</th>
              <td>{props.user.username}</td>
            </tr>
            {props.user.name && (
              <tr>
                <th scope="row">Name</th>
                <td>{props.user.name}</td>
              </tr>
            )}
            {props.user.email && (
              <tr>
                <th scope="row">Email</th>
                <td>{props.user.email}</td>
              </tr>
            )}
            {s && (
              <>
                <tr>
                  <th scope="row">Total Jobs</th>
                  <td>
                    <Num value={s.totalJobs} />
                  </td>
                </tr>
                <tr>
                  <th
                    scope="row"
                    title={`Job duration less than ${formatDuration(props.shortJobs)}`}
                  >
                    Short Jobs
                  </th>
                  <td>
                    <Num value={s.shortJobs} />
                  </td>
                </tr>
                <tr>
                  <th scope="row">Total Walltime (Hours)</th>
                  <td>
                    <Num value={s.totalWalltime} />
                  </td>
                </tr>
                <tr>
                  <th scope="row">Total Core Hours</th>
                  <td>
                    <Num value={s.totalCoreHours} />
                  </td>
                </tr>
                {s.totalAccHours !== 0 && (
                  <tr>
                    <th scope="row">Total Accelerator Hours</th>
                    <td>
                      <Num value={s.totalAccHours} />
                    </td>
                  </tr>
                )}
              </>
            )}
          </tbody>
        </table>
        {props.error && <Note color="danger" text={props.error} />}
      </div>
      {s && (
        <>
          <div class="col-12 col-md-6 col-lg-4">
            <Histogram
              title="Duration Distribution"
              xLabel="Job Runtimes"
              time
              points={s.histDuration}
            />
          </div>
          <div class="col-12 col-md-6 col-lg-4">
            <Histogram
              title="Number of Nodes Distribution"
              xLabel="Allocated Nodes"
              points={s.histNumNodes}
            />
          </div>
        </>
      )}
      <div class="col-12 d-flex gap-2 align-items-center">
        <button type="button" class="btn btn-outline-secondary" onClick={props.onChooseHistograms}>
          <i class="bi bi-bar-chart-line"></i> Select Histograms
        </button>
        <div class="input-group w-auto">
          <label class="input-group-text" for="metric-bins">Metric Bins</label>
          <select
            id="metric-bins"
            class="form-select"
            value={props.metricBins}
            onChange={(e) => props.onMetricBins(Number((e.target as HTMLSelectElement).value))}
          >
            {[10, 20, 50, 100].map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </div>
      </div>
      {props.histograms.length === 0
        ? <p class="col-12 text-body-secondary">No footprint histograms selected.</p>
        : (s?.histMetrics ?? []).map((h) => (
          <div class="col-12 col-md-6 col-lg-4" key={h.metric}>
            <Histogram
              title={`Distribution of '${h.metric} (${h.stat ?? ""})' footprints`}
              xLabel={`${h.metric} bin maximum${h.unit ? ` [${h.unit}]` : ""}`}
              points={(h.data ?? []).map((d) => ({ value: d.max ?? d.bin ?? 0, count: d.count }))}
            />
          </div>
        ))}
    </div>
  );
}
