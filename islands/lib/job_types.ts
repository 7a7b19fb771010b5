/**
 * What the job view's islands get from the page as props: the job, the
 * metrics of its subcluster and the plot settings of the viewer. Plain
 * JSON, built on the server (`routes/job/job_page_data.ts`).
 *
 * @module
 */
import type { UnitLike } from "./plot_units.ts";

/** A metric as configured for the job's subcluster. */
export interface MetricInfo {
  name: string;
  unit: UnitLike;
  /** Native scope. */
  scope: string;
  aggregation: string;
  timestep: number;
  peak: number;
  normal: number;
  caution: number;
  alert: number;
  lowerIsBetter?: boolean;
}

/** The job fields the islands use. */
export interface JobRef {
  /** Database id. */
  id: number;
  jobId: number;
  cluster: string;
  subCluster: string;
  numNodes: number;
  numAcc: number;
  shared: string;
  state: string;
  monitoringStatus: number;
  /** Hostnames, in resource order. */
  hosts: string[];
}

/** The viewer's plot settings (`plotConfiguration_*`). */
export interface PlotSettings {
  lineWidth: number;
  colorScheme: string[];
  colorBackground: boolean;
  colorblind: boolean;
  plotsPerRow: number;
}

/** The metric scopes from coarse to fine. */
export const SCOPES = ["node", "socket", "memoryDomain", "core", "hwthread", "accelerator"];

/** Whether the job has no metric data to show: not monitored (0) or archiving failed (2). */
export function withoutMetricData(job: Pick<JobRef, "monitoringStatus">): boolean {
  return job.monitoringStatus === 0 || job.monitoringStatus === 2;
}

/** The finest of `scopes` (coarse-to-fine order of {@link SCOPES}). */
export function finestScope(scopes: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const s of scopes) {
    if (best === undefined || SCOPES.indexOf(s) > SCOPES.indexOf(best)) best = s;
  }
  return best;
}
