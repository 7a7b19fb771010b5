/**
 * Finds the level a parsed line belongs to, from the line's raw tag bytes,
 * without decoding strings on the hot path:
 *
 * 1. the host: the previous line's host when cluster and host bytes are the
 *    same (collectors send a host's lines together), else a hash lookup;
 * 2. a child with a known type (`hwthread`, `core`, `socket`,
 *    `memoryDomain`, `accelerator`) and a plain numeric id: an array index
 *    on the host entry;
 * 3. anything else (subtypes, ids like PCI addresses, escapes): a hash
 *    lookup of the whole series key.
 *
 * Misses decode the names, validate them (no `..`, `/`, `\`, NUL) and create
 * the levels. Call `sync()` before each batch: when the store removed levels,
 * every cached reference is dropped.
 *
 * @module
 */
import { ByteTable } from "./byte_table.ts";
import {
  type LineParser,
  TAG_CLUSTER,
  TAG_HOST,
  TAG_STYPE,
  TAG_STYPE_ID,
  TAG_TYPE,
  TAG_TYPE_ID,
  unescape,
} from "./line_protocol.ts";

/**
 * Where resolved levels come from: the store itself, or (on the parse
 * worker) a tree of stand-ins that the main thread maps to the store's levels.
 */
export interface LevelTree<L> {
  /** Changes whenever levels were removed: cached references are then stale. */
  readonly generation: number;
  /** The host level at `[cluster, host]`, created as needed. */
  ensureLevel(path: readonly string[]): L;
  /** The child `name` of `level`, created as needed. */
  ensureChild(level: L, name: string): L;
}

const encoder = new TextEncoder();
const TYPE_NAMES = ["hwthread", "core", "socket", "memoryDomain", "accelerator"];
const TYPES = TYPE_NAMES.map((t) => encoder.encode(t));
const NODE = encoder.encode("node");
const MAX_INDEXED_ID = 1 << 16;
const MAX_CACHED = 1 << 21;

interface HostEntry<L> {
  level: L;
  /** Children by type code and numeric id. */
  byType: (L | undefined)[][];
}

function same(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bLen: number): boolean {
  if (aEnd - aStart !== bLen) return false;
  for (let i = 0; i < bLen; i++) if (a[aStart + i] !== b[i]) return false;
  return true;
}

/** Copies `src[s, e)` to the start of `dst`, or of a larger new array when it does not fit. */
function copyInto(dst: Uint8Array, src: Uint8Array, s: number, e: number): Uint8Array {
  const out = e - s > dst.length ? new Uint8Array(e - s) : dst;
  out.set(src.subarray(s, e));
  return out;
}

/** A name is unsafe as a tree and checkpoint path element. */
function unsafe(name: string): boolean {
  return name.includes("..") || name.includes("/") || name.includes("\\") || name.includes("\0");
}

/** Resolves lines to levels of one tree (a store). */
export class LevelResolver<L> {
  readonly store: LevelTree<L>;
  /** Why the last `resolve` returned null. */
  reason = "";
  #generation = -1;
  readonly #hosts = new ByteTable<HostEntry<L>>(256);
  readonly #series = new ByteTable<L>(256);
  #prev: HostEntry<L> | null = null;
  #prevCluster: Uint8Array = new Uint8Array(64);
  #prevClusterLen = -1;
  #prevHost: Uint8Array = new Uint8Array(64);
  #prevHostLen = -1;
  #key: Uint8Array = new Uint8Array(256);

  constructor(store: LevelTree<L>) {
    this.store = store;
  }

  /** Drops cached levels when the store removed some since the last call. */
  sync(): void {
    if (
      this.#generation === this.store.generation &&
      this.#series.size + this.#hosts.size < MAX_CACHED
    ) {
      return;
    }
    this.#generation = this.store.generation;
    this.#hosts.clear();
    this.#series.clear();
    this.#prev = null;
    this.#prevClusterLen = -1;
    this.#prevHostLen = -1;
  }

  /** The level of the parser's current line, or null with `reason` set. */
  resolve(p: LineParser, cluster: Uint8Array, clusterName: string): L | null {
    const buf = p.buf;
    const ts = p.tagStart;
    const te = p.tagEnd;
    if (ts[TAG_HOST] < 0) return this.#fail("missing tag hostname (or host)");
    let hasType = ts[TAG_TYPE] >= 0;
    if (hasType && same(buf, ts[TAG_TYPE], te[TAG_TYPE], NODE, 4)) hasType = false;
    if (hasType && ts[TAG_TYPE_ID] < 0) return this.#fail("tag type without type-id");
    const hasSubType = hasType && ts[TAG_STYPE] >= 0;
    if (hasSubType && ts[TAG_STYPE_ID] < 0) return this.#fail("tag stype without stype-id");

    let cBuf = cluster, cStart = 0, cEnd = cluster.length;
    if (ts[TAG_CLUSTER] >= 0) {
      cBuf = buf;
      cStart = ts[TAG_CLUSTER];
      cEnd = te[TAG_CLUSTER];
    }
    let host = this.#prev;
    if (
      host === null || !same(cBuf, cStart, cEnd, this.#prevCluster, this.#prevClusterLen) ||
      !same(buf, ts[TAG_HOST], te[TAG_HOST], this.#prevHost, this.#prevHostLen)
    ) {
      host = this.#host(p, cBuf, cStart, cEnd, clusterName);
      if (host === null) return null;
    }
    if (!hasType) return host.level;

    const escaped = p.tagEscaped & ((1 << TAG_TYPE) | (1 << TAG_TYPE_ID));
    if (!hasSubType && escaped === 0) {
      const code = typeCode(buf, ts[TAG_TYPE], te[TAG_TYPE]);
      const id = code < 0 ? -1 : numericId(buf, ts[TAG_TYPE_ID], te[TAG_TYPE_ID]);
      if (id >= 0) {
        const children = host.byType[code] ??= [];
        const known = children[id];
        if (known !== undefined) return known;
        const child = this.#child(host.level, [TYPE_NAMES[code] + id]);
        if (child !== null) children[id] = child;
        return child;
      }
    }
    return this.#generic(p, host, cBuf, cStart, cEnd, hasSubType);
  }

  /** The host entry for cluster and host bytes: cached, or validated and created. */
  #host(
    p: LineParser,
    cBuf: Uint8Array,
    cStart: number,
    cEnd: number,
    clusterName: string,
  ): HostEntry<L> | null {
    const buf = p.buf;
    const hs = p.tagStart[TAG_HOST];
    const he = p.tagEnd[TAG_HOST];
    let k = this.#put(0, cBuf, cStart, cEnd);
    k = this.#put(k, buf, hs, he);
    let entry = this.#hosts.get(this.#key, 0, k);
    if (entry === undefined) {
      const cName = cBuf === buf
        ? unescape(buf, cStart, cEnd, (p.tagEscaped & (1 << TAG_CLUSTER)) !== 0)
        : clusterName;
      if (cName === "") return this.#fail("missing tag cluster and no default cluster given");
      const hName = unescape(buf, hs, he, (p.tagEscaped & (1 << TAG_HOST)) !== 0);
      if (unsafe(cName)) return this.#unsafe("cluster", cName);
      if (unsafe(hName)) return this.#unsafe("host", hName);
      entry = { level: this.store.ensureLevel([cName, hName]), byType: [] };
      this.#hosts.set(this.#key, 0, k, entry);
    }
    this.#prev = entry;
    this.#prevCluster = copyInto(this.#prevCluster, cBuf, cStart, cEnd);
    this.#prevClusterLen = cEnd - cStart;
    this.#prevHost = copyInto(this.#prevHost, buf, hs, he);
    this.#prevHostLen = he - hs;
    return entry;
  }

  /** Children by the whole series key (subtypes, non-numeric ids, escaped names). */
  #generic(
    p: LineParser,
    host: HostEntry<L>,
    cBuf: Uint8Array,
    cStart: number,
    cEnd: number,
    hasSubType: boolean,
  ): L | null {
    const buf = p.buf;
    const ts = p.tagStart;
    const te = p.tagEnd;
    let k = this.#put(0, cBuf, cStart, cEnd);
    k = this.#put(k, buf, ts[TAG_HOST], te[TAG_HOST]);
    k = this.#put(k, buf, ts[TAG_TYPE], te[TAG_TYPE]);
    k = this.#put(k, buf, ts[TAG_TYPE_ID], te[TAG_TYPE_ID]);
    if (hasSubType) {
      k = this.#put(k, buf, ts[TAG_STYPE], te[TAG_STYPE]);
      k = this.#put(k, buf, ts[TAG_STYPE_ID], te[TAG_STYPE_ID]);
    }
    const cached = this.#series.get(this.#key, 0, k);
    if (cached !== undefined) return cached;
    const text = (id: number) => unescape(buf, ts[id], te[id], (p.tagEscaped & (1 << id)) !== 0);
    const names = [text(TAG_TYPE) + text(TAG_TYPE_ID)];
    if (hasSubType) names.push(text(TAG_STYPE) + text(TAG_STYPE_ID));
    const level = this.#child(host.level, names);
    if (level !== null) this.#series.set(this.#key, 0, k, level);
    return level;
  }

  #child(host: L, names: string[]): L | null {
    let level = host;
    for (let i = 0; i < names.length; i++) {
      if (unsafe(names[i])) return this.#unsafe(i === 0 ? "type" : "subtype", names[i]);
    }
    for (const name of names) level = this.store.ensureChild(level, name);
    return level;
  }

  /** Appends `src[s, e)` and a 0 separator to the key scratch; returns the new length. */
  #put(k: number, src: Uint8Array, s: number, e: number): number {
    const need = k + (e - s) + 1;
    if (need > this.#key.length) {
      const next = new Uint8Array(Math.max(need, this.#key.length * 2));
      next.set(this.#key.subarray(0, k));
      this.#key = next;
    }
    const key = this.#key;
    for (let i = s; i < e; i++) key[k++] = src[i];
    key[k++] = 0;
    return k;
  }

  #unsafe(what: string, name: string): null {
    return this.#fail(
      `invalid ${what} name ${JSON.stringify(name)}: names must not contain "..", "/", "\\" or NUL`,
    );
  }

  #fail(reason: string): null {
    this.reason = reason;
    return null;
  }
}

/** Index of a known child type in {@link TYPES}, or -1. */
function typeCode(buf: Uint8Array, s: number, e: number): number {
  const len = e - s;
  for (let t = 0; t < TYPES.length; t++) {
    if (TYPES[t].length === len && same(buf, s, e, TYPES[t], len)) return t;
  }
  return -1;
}

/** A canonical decimal id (no sign, no leading zero) below MAX_INDEXED_ID, or -1. */
function numericId(buf: Uint8Array, s: number, e: number): number {
  if (e - s < 1 || e - s > 5 || (buf[s] === 48 && e - s > 1)) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v < MAX_INDEXED_ID ? v : -1;
}
