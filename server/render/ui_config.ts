/**
 * The web UI configuration of a user (cc-backend's `GetUIConfig`): the
 * `ui` section of config.json flattened to the key names the UI reads
 * (`jobList_usePaging`, `metricConfig_jobListMetrics:<cluster>`, ...),
 * overlaid with the user's rows of the `configuration` table, plus
 * `jobList_hideShortRunningJobs` from `main.short-running-jobs-duration`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { AuthUser } from "../auth/auth_user.ts";
import type { Config, UiConfig, UiMetricSelection } from "../config/mod.ts";
import { UserConfigRepository } from "../db/mod.ts";

/** A flattened UI configuration: key → JSON value. */
export type UiConfigMap = Record<string, unknown>;

const SELECTION_KEYS = ["jobListMetrics", "jobViewPlotMetrics", "jobViewTableMetrics"] as const;

function addSelection(out: UiConfigMap, selection: UiMetricSelection, suffix: string): void {
  for (const key of SELECTION_KEYS) {
    const value = selection[key];
    if (value) out[`metricConfig_${key}${suffix}`] = [...value];
  }
}

/** The `ui` section as the flat default map of cc-backend (`UIDefaultsMap`). */
export function flattenUiConfig(ui: UiConfig): UiConfigMap {
  const out: UiConfigMap = {
    jobList_usePaging: ui.jobList.usePaging,
    jobList_showFootprint: ui.jobList.showFootprint,
    nodeList_usePaging: ui.nodeList.usePaging,
    jobView_showPolarPlot: ui.jobView.showPolarPlot,
    jobView_showFootprint: ui.jobView.showFootprint,
    jobView_showRoofline: ui.jobView.showRoofline,
    jobView_showStatTable: ui.jobView.showStatTable,
    plotConfiguration_colorBackground: ui.plotConfiguration.colorBackground,
    plotConfiguration_plotsPerRow: ui.plotConfiguration.plotsPerRow,
    plotConfiguration_lineWidth: ui.plotConfiguration.lineWidth,
    plotConfiguration_colorScheme: [...ui.plotConfiguration.colorScheme],
  };
  addSelection(out, ui.metricConfig, "");
  for (const cluster of ui.metricConfig.clusters ?? []) {
    addSelection(out, cluster, `:${cluster.name}`);
    for (const sub of cluster.subClusters ?? []) {
      addSelection(out, sub, `:${cluster.name}:${sub.name}`);
    }
  }
  return out;
}

/** What {@link userUiConfig} reads. */
export interface UiConfigSource {
  db: DatabaseSync;
  config: Config;
}

/**
 * The UI configuration `user` sees: the defaults, the user's stored values
 * over them, and the short-job cutoff. A stored value that is not JSON is
 * a 500 (as in cc-backend).
 */
export function userUiConfig(source: UiConfigSource, user: AuthUser | undefined): UiConfigMap {
  const out = flattenUiConfig(source.config.ui);
  if (!user) return out;
  Object.assign(out, new UserConfigRepository(source.db).listConfig(user.username));
  out.jobList_hideShortRunningJobs = source.config.main.shortRunningJobsDuration;
  return out;
}
