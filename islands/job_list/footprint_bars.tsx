/**
 * The "Job Footprint" cell of a list row: one Bootstrap progress bar per
 * footprint value, coloured by the footprint rules of `job_footprint.ts`
 * (shared with the job view), with the value against the peak.
 *
 * @module
 */
import {
  barPercent,
  type FootprintBar,
  footprintBars,
  type FootprintMetricConfig,
} from "../lib/job_footprint.ts";
import { formatNumber } from "../lib/plot_units.ts";
import type { JobItem, MetricInfo } from "../lib/job_list_types.ts";

/** Props of {@link FootprintBars}. */
export interface FootprintBarsProps {
  job: JobItem;
  configs: MetricInfo[];
  hwthreadsPerNode: number;
}

function Bar({ bar }: { bar: FootprintBar }) {
  // Widths in steps of 5 % as classes: the page's CSP allows no inline styles.
  const width = Math.round(barPercent(bar.value, bar.peak) / 5) * 5;
  return (
    <div class="mb-1" title={bar.message}>
      <div class="d-flex justify-content-between small">
        <span>
          {bar.icons.map((icon) => (
            <i key={icon} class={`bi bi-${icon} me-1 text-${bar.color}`}>
            </i>
          ))}
          {bar.name} ({bar.stat})
        </span>
        <span>
          {formatNumber(bar.value)}
          {bar.peak > 0 ? ` / ${formatNumber(bar.peak)}` : ""} {bar.unit}
          <i
            class={`bi bi-caret-${bar.lowerIsBetter ? "left" : "right"}-fill ms-1`}
            title={bar.lowerIsBetter ? "lower is better" : "higher is better"}
          >
          </i>
        </span>
      </div>
      <div
        class="progress"
        role="progressbar"
        aria-label={`${bar.name} footprint`}
        aria-valuenow={bar.value}
        aria-valuemin={0}
        aria-valuemax={bar.peak}
      >
        <div class={`progress-bar bg-${bar.color} cc-w-${width}`}></div>
      </div>
    </div>
  );
}

/** The bars, or a note when the job has no footprint. */
export function FootprintBars(props: FootprintBarsProps) {
  const bars = footprintBars(
    {
      shared: props.job.shared,
      numHWThreads: props.job.numHWThreads,
      footprint: (props.job.footprint ?? []).filter((f) => f && typeof f.value === "number"),
    },
    // A null unit prefix reads as none, as in the job view.
    props.configs as FootprintMetricConfig[],
    props.hwthreadsPerNode,
  );
  if (bars.length === 0) {
    return <p class="small text-body-secondary">No footprint data for job available.</p>;
  }
  return (
    <div class="cc-footprint">
      {bars.map((b) => <Bar key={`${b.name}_${b.stat}`} bar={b} />)}
    </div>
  );
}
