/**
 * One metric plot (uPlot): a line per series over the job's runtime, or the
 * statistics band (min/mean/max with shaded areas), the metric's normal
 * threshold as a dashed line, a threshold-tinted background, scope and
 * "[Shared]" labels, a cursor-following legend, and x drag-zoom (double
 * click resets). Zooms are reported so that the owner can re-fetch finer
 * data and hand the window back.
 *
 * @module
 */
import uPlot from "uplot";
import { useEffect, useRef } from "preact/hooks";
import type { MetricInfo, PlotSettings } from "./job_types.ts";
import { linesLength, linesMax, type MetricData, plotLines } from "./plot_series.ts";
import { backgroundLevel, plotYMax, type ScopeCounts, scopeThresholds } from "./plot_thresholds.ts";
import { formatNumber, formatRuntime } from "./plot_units.ts";

/** An x (runtime seconds) window. */
export interface XWindow {
  min: number;
  max: number;
}

/** Props of {@link MetricPlot}. */
export interface MetricPlotProps {
  metric: MetricInfo;
  scope: string;
  data: MetricData;
  /** Draw the statistics series instead of the raw series. */
  stats: boolean;
  /** Only the series of this host (null: all). */
  host: string | null;
  counts: ScopeCounts;
  settings: PlotSettings;
  shared: boolean;
  multiNode: boolean;
  height?: number;
  /** The zoom window to show (null: everything). */
  zoom: XWindow | null;
  onZoom: (window: XWindow | null) => void;
  /** uPlot cursor sync key shared by the plots of one job. */
  syncKey?: string;
}

const BACKGROUND = {
  alert: ["rgba(255,0,0,0.3)", "rgba(225,86,44,0.3)"],
  caution: ["rgba(255,128,0,0.3)", "rgba(239,230,69,0.3)"],
};
const STATS_COLORS = { min: ["red", "#0072b2"], max: ["green", "#009e73"] };

function tooltip(u: uPlot, box: HTMLDivElement, labels: string[], colors: string[]): void {
  const idx = u.cursor.idx;
  const left = u.cursor.left ?? -1;
  if (idx === null || idx === undefined || left < 0) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.replaceChildren();
  const head = document.createElement("div");
  head.className = "fw-bold";
  head.textContent = formatRuntime(u.data[0][idx]);
  box.append(head);
  const markers = labels.length > 1 && labels.length <= 8;
  labels.slice(0, 12).forEach((label, i) => {
    const row = document.createElement("div");
    if (markers) {
      const dot = document.createElement("span");
      dot.className = "cc-swatch me-1";
      dot.style.background = colors[i];
      row.append(dot);
    }
    const v = u.data[i + 1][idx];
    row.append(`${label}: ${v === null || v === undefined ? "-" : formatNumber(v)}`);
    box.append(row);
  });
  const flip = left > u.over.clientWidth / 2;
  box.style.left = flip ? "" : `${left + 12}px`;
  box.style.right = flip ? `${u.over.clientWidth - left + 12}px` : "";
  box.style.top = `${Math.max(0, (u.cursor.top ?? 0) - 10)}px`;
}

/** Shared between a plot and its hooks: the latest zoom and zoom callback of the owner. */
interface PlotState {
  ready: boolean;
  zoom: XWindow | null;
  report: (window: XWindow | null) => void;
}

function buildOptions(props: MetricPlotProps, width: number, state: PlotState) {
  const { metric, settings, scope } = props;
  const lines = plotLines(props.data, {
    scope,
    stats: props.stats,
    host: props.host,
    multiNode: props.multiNode,
  });
  const n = linesLength(lines);
  const step = props.data.timestep;
  const xs = Array.from({ length: n }, (_, i) => i * step);
  const t = scopeThresholds(metric, { scope, counts: props.counts });
  const yMax = plotYMax(linesMax(lines), t);
  const cb = settings.colorblind ? 1 : 0;
  const dpr = globalThis.devicePixelRatio || 1;
  const text = getComputedStyle(document.body).color || "#212529";
  const level = settings.colorBackground && lines.averages.length > 0
    ? backgroundLevel(lines.averages, t)
    : null;

  const colors = lines.kind === "stats"
    ? [STATS_COLORS.min[cb], STATS_COLORS.max[cb], text]
    : lines.labels.map((_, i) => settings.colorScheme[i % settings.colorScheme.length]);
  const series: uPlot.Series[] = [
    {},
    ...lines.labels.map((label, i) => ({
      label,
      stroke: colors[i],
      width: settings.lineWidth / dpr,
      spanGaps: false,
      points: { show: false },
    })),
  ];
  const label = lines.kind === "stats"
    ? `${scope}s: min/${lines.labels[2]}/max`
    : `${scope}s${scope !== metric.scope ? ` (${metric.aggregation})` : ""}`;
  const axis = {
    stroke: text,
    grid: { stroke: "rgba(128,128,128,0.2)", width: 1 },
    ticks: { show: false },
  };
  const box = document.createElement("div");
  box.className = "cc-plot-tooltip";
  box.hidden = true;

  const opts: uPlot.Options = {
    width,
    height: props.height ?? 275,
    series,
    bands: lines.kind === "stats"
      ? [
        { series: [2, 3], fill: cb ? "rgba(0,158,115,0.1)" : "rgba(0,255,0,0.1)" },
        { series: [3, 1], fill: cb ? "rgba(0,114,178,0.1)" : "rgba(255,0,0,0.1)" },
      ]
      : undefined,
    scales: { x: { time: false }, y: { range: () => [0, yMax] } },
    axes: [
      { ...axis, values: (_u, splits) => splits.map(formatRuntime) },
      { ...axis, size: 52, values: (_u, splits) => splits.map((v) => formatNumber(v)) },
    ],
    legend: { show: false },
    cursor: {
      drag: { x: true, y: false, setScale: true },
      sync: props.syncKey ? { key: props.syncKey } : undefined,
    },
    hooks: {
      init: [(u) => u.over.append(box)],
      ready: [(u) => {
        state.ready = true;
        // uPlot is still committing the first frame here: zoom in the next task.
        const zoom = state.zoom;
        if (zoom) queueMicrotask(() => u.setScale("x", zoom));
      }],
      drawClear: [(u) => {
        if (!level) return;
        const { left, top, width: w, height: h } = u.bbox;
        u.ctx.save();
        u.ctx.fillStyle = BACKGROUND[level][cb];
        u.ctx.fillRect(left, top, w, h);
        u.ctx.restore();
      }],
      draw: [(u) => {
        const ctx = u.ctx;
        const { left, top, width: w } = u.bbox;
        ctx.save();
        if (t.normal > 0 && t.normal <= yMax) {
          const y = u.valToPos(t.normal, "y", true);
          ctx.strokeStyle = text;
          ctx.lineWidth = dpr;
          ctx.setLineDash([5 * dpr, 5 * dpr]);
          ctx.beginPath();
          ctx.moveTo(left, y);
          ctx.lineTo(left + w, y);
          ctx.stroke();
          ctx.setLineDash([]);
        }
        ctx.fillStyle = text;
        ctx.font = `${12 * dpr}px system-ui, sans-serif`;
        ctx.textBaseline = "top";
        ctx.textAlign = "left";
        ctx.fillText(label, left + 6 * dpr, top + 4 * dpr);
        if (props.shared && scope !== "core" && scope !== "accelerator") {
          ctx.textAlign = "right";
          ctx.fillText("[Shared]", left + w - 6 * dpr, top + 4 * dpr);
        }
        ctx.restore();
      }],
      setCursor: [(u) => tooltip(u, box, lines.labels, colors)],
      setScale: [(u, key) => {
        if (key !== "x" || !state.ready) return;
        const min = u.scales.x.min ?? 0;
        const max = u.scales.x.max ?? 0;
        // The shown window, for tests and tools that cannot read the canvas.
        u.root.parentElement?.setAttribute("data-x-range", `${Math.round(min)}-${Math.round(max)}`);
        const full = min <= 0 && max >= (n - 1) * step;
        state.report(full ? null : { min, max });
      }],
    },
  };
  return { opts, data: [xs, ...lines.values] as uPlot.AlignedData };
}

/** The plot, or a warning card when there is no data. */
export function MetricPlot(props: MetricPlotProps) {
  const root = useRef<HTMLDivElement>(null);
  // Hooks read the latest zoom and callback; a zoom alone does not rebuild the plot.
  const latest = useRef({ zoom: props.zoom, onZoom: props.onZoom });
  latest.current = { zoom: props.zoom, onZoom: props.onZoom };
  const empty = plotLines(props.data, {
    scope: props.scope,
    stats: props.stats,
    host: props.host,
    multiNode: props.multiNode,
  }).values.every((v) => v.length === 0);

  useEffect(() => {
    const el = root.current;
    if (!el || empty) return;
    const state: PlotState = {
      ready: false,
      zoom: latest.current.zoom,
      report: (window) => latest.current.onZoom(window),
    };
    const { opts, data } = buildOptions(props, el.clientWidth || 300, state);
    const plot = new uPlot(opts, data, el);
    const observer = new ResizeObserver(() => {
      if (el.clientWidth > 0 && el.clientWidth !== plot.width) {
        plot.setSize({ width: el.clientWidth, height: plot.height });
      }
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [props.data, props.scope, props.stats, props.host, props.settings]);

  if (empty) {
    return (
      <div class="alert alert-warning m-0" role="status">
        <b>Empty Metric</b>: no data for {props.metric.name} at {props.scope} scope.
      </div>
    );
  }
  return <div ref={root} class="cc-metric-plot" />;
}
