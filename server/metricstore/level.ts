/**
 * The store's level tree: root → cluster → host → `<type><id>` →
 * `<subtype><id>`. Every level can hold one buffer chain per metric (the
 * head, by metric slot index) and children at the same time.
 *
 * @module
 */
import type { MetricBuffer } from "./buffer.ts";

/** Heap bytes of a level besides 8 per metric (object, map entry, name; measured by resident memory). */
export const LEVEL_BASE_BYTES = 224;

/** A node of the level tree. */
export class Level {
  readonly name: string;
  readonly parent: Level | null;
  children: Map<string, Level> | null = null;
  /** Newest buffer of each metric's chain, by metric slot index. */
  readonly heads: (MetricBuffer | null)[];
  /**
   * Per-level state of the checkpoint journal (wal_journal.ts), kept here
   * because a field is far cheaper on the ingest hot path than a map lookup.
   * The store itself never reads it.
   */
  journal: unknown = null;

  constructor(name: string, parent: Level | null, metricCount: number) {
    this.name = name;
    this.parent = parent;
    this.heads = new Array(metricCount).fill(null);
  }

  /** The child called `name`, or undefined. */
  child(name: string): Level | undefined {
    return this.children?.get(name);
  }

  /** The names from the root's child down to this level (cluster, host, ...). */
  path(): string[] {
    if (this.parent === null) return [];
    const names = this.parent.path();
    names.push(this.name);
    return names;
  }

  /** True when the level holds no chain and no child. */
  isEmpty(): boolean {
    if (this.children !== null && this.children.size > 0) return false;
    for (const head of this.heads) if (head !== null) return false;
    return true;
  }

  /** Estimated heap bytes of this level alone. */
  bytes(): number {
    return LEVEL_BASE_BYTES + 8 * this.heads.length;
  }
}

/** One element of a selector: a name, a group of names, or `"*"` for every child. */
export type SelectorElement = string | readonly string[];

/** A path into the tree; groups and `"*"` select several levels. */
export type Selector = readonly SelectorElement[];

/**
 * Collects the chains of `metric` selected by `selector` below `level`. At
 * the end of the selector, a level's own chain is taken when it exists;
 * otherwise every descendant is searched the same way (a host-level read of a
 * metric stored per hwthread finds all hwthread chains).
 */
export function findChains(
  level: Level,
  selector: Selector,
  depth: number,
  metric: number,
  out: MetricBuffer[],
): void {
  if (depth === selector.length) {
    const head = level.heads[metric];
    if (head !== null) {
      out.push(head);
      return;
    }
    if (level.children !== null) {
      for (const child of level.children.values()) findChains(child, selector, depth, metric, out);
    }
    return;
  }
  if (level.children === null) return;
  const element = selector[depth];
  if (typeof element === "string") {
    if (element === "*") {
      for (const child of level.children.values()) {
        findChains(child, selector, depth + 1, metric, out);
      }
      return;
    }
    const child = level.children.get(element);
    if (child !== undefined) findChains(child, selector, depth + 1, metric, out);
    return;
  }
  for (const name of element) {
    const child = level.children.get(name);
    if (child !== undefined) findChains(child, selector, depth + 1, metric, out);
  }
}
