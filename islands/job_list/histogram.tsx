/**
 * A uPlot bar chart of a histogram (job counts per bin).
 *
 * @module
 */
import uPlot from "uplot";
import { useEffect, useRef } from "preact/hooks";
import { formatNumber, formatRuntime } from "../lib/plot_units.ts";

/** Props of {@link Histogram}. */
export interface HistogramProps {
  title: string;
  xLabel: string;
  yLabel?: string;
  /** Bins (x values) and their counts. */
  points: { value: number; count: number }[];
  /** x values are seconds. */
  time?: boolean;
}

/** The chart, or a note without data. */
export function Histogram(props: HistogramProps) {
  const ref = useRef<HTMLDivElement>(null);
  const empty = props.points.length === 0;
  useEffect(() => {
    const el = ref.current;
    if (!el || empty) return;
    const xFormat = props.time ? formatRuntime : (v: number) => formatNumber(v);
    const plot = new uPlot(
      {
        width: el.clientWidth || 300,
        height: 250,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        axes: [
          { label: props.xLabel, values: (_, ticks) => ticks.map(xFormat) },
          {
            label: props.yLabel ?? "Number of Jobs",
            values: (_, t) => t.map((v) => formatNumber(v)),
          },
        ],
        series: [{}, {
          label: "Count",
          fill: "rgba(0, 102, 204, 0.6)",
          stroke: "rgb(0, 102, 204)",
          paths: uPlot.paths.bars!({ size: [0.75, 100] }),
        }],
      },
      [props.points.map((p) => p.value), props.points.map((p) => p.count)],
      el,
    );
    const observer = new ResizeObserver(() => {
      if (el.clientWidth && el.clientWidth !== plot.width) {
        plot.setSize({ width: el.clientWidth, height: plot.height });
      }
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [props.points]);
  return (
    <div class="cc-histogram">
      <h6 class="text-center">{props.title}</h6>
      {empty
        ? <p class="text-center text-body-secondary">No data.</p>
        : <div ref={ref} role="img" aria-label={props.title}></div>}
    </div>
  );
}
