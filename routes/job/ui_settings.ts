/**
 * Typed reads of a viewer's UI configuration map (`server/render/ui_config.ts`)
 * for the job view: metric selections with cc-backend's
 * subcluster → cluster → global fallback, and settings of a known type.
 *
 * @module
 */
import type { UiConfigMap } from "../../server/render/ui_config.ts";

/**
 * The metric list stored under `key` for the most specific of
 * `<key>:<cluster>:<subCluster>`, `<key>:<cluster>` and `<key>`; only
 * string entries count; nothing stored gives `[]`.
 */
export function metricSelection(
  map: UiConfigMap,
  key: string,
  where: { cluster?: string; subCluster?: string },
): string[] {
  const candidates = [
    ...(where.cluster && where.subCluster ? [`${key}:${where.cluster}:${where.subCluster}`] : []),
    ...(where.cluster ? [`${key}:${where.cluster}`] : []),
    key,
  ];
  for (const candidate of candidates) {
    const value = map[candidate];
    if (Array.isArray(value)) return value.filter((m): m is string => typeof m === "string");
  }
  return [];
}

/** `map[key]` when it has the type of `fallback` (a list: of strings), else `fallback`. */
export function uiSetting<T extends boolean | number | string | string[]>(
  map: UiConfigMap,
  setting: { key: string; fallback: T },
): T {
  const { key, fallback } = setting;
  const value = map[key];
  if (Array.isArray(fallback)) {
    const ok = Array.isArray(value) && value.every((v) => typeof v === "string");
    return (ok ? value : fallback) as T;
  }
  return (typeof value === typeof fallback ? value : fallback) as T;
}
