/**
 * The CPU roofline of a job on a canvas: every node's (intensity,
 * performance) pair per timestep, coloured by time, under the roof of the
 * job's subcluster. Data from cc-backend's roofline query (`flops_any` and
 * `mem_bw` at node scope and native resolution).
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { gql } from "./lib/graphql.ts";
import {
  decades,
  logPosition,
  type Roof,
  rooflineAxes,
  rooflineCeilings,
  type RooflinePoints,
  rooflinePoints,
  type Samples,
  timeColor,
} from "./lib/plot_roofline.ts";

/** Props of {@link JobRoofline}. */
export interface JobRooflineProps {
  /** Database id of the job. */
  jobId: number;
  roof: Roof;
  colorblind: boolean;
  /** No metric data (not monitored, archiving failed): show a note instead. */
  disabled: boolean;
}

/** The GraphQL operation, as cc-backend's UI sends it. */
export const ROOFLINE_QUERY =
  `query ($dbid: ID!, $selectedMetrics: [String!]!, $selectedScopes: [MetricScope!]!, $selectedResolution: Int) {
  jobMetrics(id: $dbid, metrics: $selectedMetrics, scopes: $selectedScopes, resolution: $selectedResolution) {
    name scope metric { series { data } }
  }
}`;

interface RooflineAnswer {
  jobMetrics: { name: string; scope: string; metric: { series: { data: Samples }[] } }[];
}

const PAD = { left: 56, right: 14, top: 28, bottom: 42 };

function tickLabel(v: number): string {
  return v >= 1000 ? `${v / 1000}k` : String(v);
}

function draw(canvas: HTMLCanvasElement, points: RooflinePoints, props: JobRooflineProps): void {
  const width = canvas.parentElement?.clientWidth ?? 400;
  const height = Math.max(220, Math.min(400, Math.round(width * 0.6)));
  const dpr = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const text = getComputedStyle(canvas).color || "#212529";
  const axes = rooflineAxes(props.roof);
  const w = width - PAD.left - PAD.right;
  const h = height - PAD.top - PAD.bottom;
  const px = (x: number) => PAD.left + logPosition(x, { min: axes.xMin, max: axes.xMax, size: w });
  const py = (y: number) =>
    PAD.top + h - logPosition(y, { min: axes.yMin, max: axes.yMax, size: h });

  ctx.clearRect(0, 0, width, height);
  ctx.font = "12px system-ui, sans-serif";
  ctx.fillStyle = text;
  ctx.strokeStyle = text;
  ctx.textAlign = "center";
  ctx.fillText("CPU Roofline Diagram", PAD.left + w / 2, 16);
  ctx.fillText("Intensity [FLOPS/Byte]", PAD.left + w / 2, height - 6);
  ctx.save();
  ctx.translate(14, PAD.top + h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText("Performance [GFLOPS]", 0, 0);
  ctx.restore();

  ctx.globalAlpha = 0.2;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const x of decades(axes.xMin, axes.xMax)) {
    ctx.moveTo(px(x), PAD.top);
    ctx.lineTo(px(x), PAD.top + h);
  }
  for (const y of decades(axes.yMin, axes.yMax)) {
    ctx.moveTo(PAD.left, py(y));
    ctx.lineTo(PAD.left + w, py(y));
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
  ctx.strokeRect(PAD.left, PAD.top, w, h);
  for (const x of decades(axes.xMin, axes.xMax)) {
    ctx.fillText(tickLabel(x), px(x), PAD.top + h + 16);
  }
  ctx.textAlign = "right";
  for (const y of decades(axes.yMin, axes.yMax)) {
    ctx.fillText(tickLabel(y), PAD.left - 4, py(y) + 4);
  }

  ctx.save();
  ctx.beginPath();
  ctx.rect(PAD.left, PAD.top, w, h);
  ctx.clip();
  const r = 2.5;
  for (let i = 0; i < points.x.length; i++) {
    ctx.fillStyle = timeColor(points.t[i], props.colorblind);
    ctx.beginPath();
    ctx.arc(px(points.x[i]), py(points.y[i]), r, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.strokeStyle = text;
  ctx.lineWidth = 2;
  ctx.beginPath();
  for (const s of rooflineCeilings(props.roof, axes)) {
    ctx.moveTo(px(s.x1), py(s.y1));
    ctx.lineTo(px(s.x2), py(s.y2));
  }
  ctx.stroke();
  ctx.restore();
}

/** The roofline card body. */
export default function JobRoofline(props: JobRooflineProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [points, setPoints] = useState<RooflinePoints | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    if (props.disabled) return;
    const controller = new AbortController();
    gql<RooflineAnswer>(ROOFLINE_QUERY, {
      dbid: props.jobId,
      selectedMetrics: ["flops_any", "mem_bw"],
      selectedScopes: ["node"],
      selectedResolution: 0,
    }, { signal: controller.signal }).then((data) => {
      const series = (name: string) =>
        data.jobMetrics.find((m) => m.name === name && m.scope === "node")?.metric.series
          .map((s) => s.data) ?? [];
      setPoints(rooflinePoints(series("flops_any"), series("mem_bw")));
    }).catch((e: Error) => {
      if (e.name !== "AbortError") setError(e.message);
    });
    return () => controller.abort();
  }, [props.jobId, props.disabled]);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !points || points.x.length === 0) return;
    draw(el, points, props);
    const observer = new ResizeObserver(() => draw(el, points, props));
    observer.observe(el.parentElement!);
    return () => observer.disconnect();
  }, [points]);

  let status = null;
  if (props.disabled) status = "No roofline: the job was not monitored or its archiving failed.";
  else if (error) status = `Cannot load the roofline: ${error}`;
  else if (!points) status = "Loading roofline…";
  else if (points.x.length === 0) status = "No flops_any and mem_bw data for the roofline.";
  return (
    <div
      class="cc-roofline p-2"
      title="Colour shows time: blue at the start, green mid-run, red at the end"
    >
      {status && (
        <p class={`m-2 ${error ? "text-danger" : "text-body-secondary"}`} role="status">
          {status}
        </p>
      )}
      <div class={status ? "d-none" : ""}>
        <canvas ref={canvas} role="img" aria-label="CPU roofline diagram of the job" />
      </div>
    </div>
  );
}
