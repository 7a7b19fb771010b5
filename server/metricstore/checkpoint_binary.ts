/**
 * cc-backend's binary snapshot format (`<from>.bin`, file-format `wal`),
 * little-endian throughout:
 *
 * - header: `u32 0xCC5B0001`, `i64 from`, `i64 to`;
 * - level: `u32 nMetrics`; per metric `u16 nameLen`, name, `i64 frequency`,
 *   `i64 start`, `u32 nValues`, `nValues × f32` (NaN kept); then
 *   `u32 nChildren`; per child `u16 nameLen`, name, and the child level.
 *
 * Values are float32 (about 7 significant digits): the format's choice,
 * kept so that cc-backend and this port read each other's files.
 *
 * @module
 */
import { type CheckpointFile, type CheckpointSeries, emptyCheckpoint } from "./checkpoint_file.ts";
import { getInt64, setInt64 } from "./wal_format.ts";

/** Magic number of a binary snapshot. */
export const SNAPSHOT_MAGIC = 0xCC5B0001;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Encodes a snapshot. */
export function encodeBinarySnapshot(file: CheckpointFile): Uint8Array {
  const names = new Map<string, Uint8Array>();
  const nameBytes = (name: string) => {
    let b = names.get(name);
    if (b === undefined) {
      b = encoder.encode(name);
      if (b.length > 0xFFFF) throw new Error(`name too long for a snapshot: ${name.slice(0, 40)}…`);
      names.set(name, b);
    }
    return b;
  };
  const size = (level: CheckpointFile): number => {
    let n = 4 + 4;
    for (const [name, s] of level.metrics) {
      n += 2 + nameBytes(name).length + 8 + 8 + 4 + 4 * s.data.length;
    }
    for (const [name, child] of level.children) n += 2 + nameBytes(name).length + size(child);
    return n;
  };
  const out = new Uint8Array(20 + size(file));
  const view = new DataView(out.buffer);
  view.setUint32(0, SNAPSHOT_MAGIC, true);
  setInt64(view, 4, file.from);
  setInt64(view, 12, file.to);
  let p = 20;
  let scratch = new Float32Array(1024);
  const putName = (name: string) => {
    const b = nameBytes(name);
    view.setUint16(p, b.length, true);
    out.set(b, p + 2);
    p += 2 + b.length;
  };
  const write = (level: CheckpointFile) => {
    view.setUint32(p, level.metrics.size, true);
    p += 4;
    for (const [name, s] of level.metrics) {
      putName(name);
      setInt64(view, p, s.frequency);
      setInt64(view, p + 8, s.start);
      const n = s.data.length;
      view.setUint32(p + 16, n, true);
      p += 20;
      if (LITTLE_ENDIAN) {
        if (scratch.length < n) scratch = new Float32Array(Math.max(n, scratch.length * 2));
        scratch.set(s.data);
        out.set(new Uint8Array(scratch.buffer, 0, 4 * n), p);
      } else {
        for (let i = 0; i < n; i++) view.setFloat32(p + 4 * i, s.data[i], true);
      }
      p += 4 * n;
    }
    view.setUint32(p, level.children.size, true);
    p += 4;
    for (const [name, child] of level.children) {
      putName(name);
      write(child);
    }
  };
  write(file);
  return out;
}

/** Decodes a snapshot; throws with the offset for a damaged or cut-off file. */
export function decodeBinarySnapshot(bytes: Uint8Array): CheckpointFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  let p = 0;
  const need = (n: number, what: string) => {
    if (p + n > end) {
      throw new Error(`snapshot cut off at byte ${p} (reading ${what}, ${end} bytes in file)`);
    }
  };
  need(20, "the header");
  const magic = view.getUint32(0, true);
  if (magic !== SNAPSHOT_MAGIC) {
    throw new Error(`not a binary snapshot: magic 0x${magic.toString(16)}, expected 0xcc5b0001`);
  }
  const root = emptyCheckpoint(getInt64(view, 4), getInt64(view, 12));
  p = 20;
  const name = (): string => {
    need(2, "a name length");
    const n = view.getUint16(p, true);
    p += 2;
    need(n, "a name");
    const s = decoder.decode(bytes.subarray(p, p + n));
    p += n;
    return s;
  };
  const read = (level: CheckpointFile, depth: number) => {
    if (depth > 32) throw new Error(`snapshot nested deeper than 32 levels at byte ${p}`);
    need(4, "a metric count");
    const metrics = view.getUint32(p, true);
    p += 4;
    for (let i = 0; i < metrics; i++) {
      const metric = name();
      need(20, `the series header of ${metric}`);
      const frequency = getInt64(view, p);
      const start = getInt64(view, p + 8);
      const n = view.getUint32(p + 16, true);
      p += 20;
      need(4 * n, `${n} values of ${metric}`);
      const series: CheckpointSeries = { frequency, start, data: floats(bytes, view, p, n) };
      level.metrics.set(metric, series);
      p += 4 * n;
    }
    need(4, "a child count");
    const children = view.getUint32(p, true);
    p += 4;
    for (let i = 0; i < children; i++) {
      const childName = name();
      const child = emptyCheckpoint(level.from, level.to);
      read(child, depth + 1);
      level.children.set(childName, child);
    }
  };
  read(root, 0);
  return root;
}

/** `n` float32 values at `bytes[p]`: a view when aligned, else a copy. */
function floats(bytes: Uint8Array, view: DataView, p: number, n: number): Float32Array {
  if (!LITTLE_ENDIAN) {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(p + 4 * i, true);
    return out;
  }
  const at = bytes.byteOffset + p;
  if (at % 4 === 0) return new Float32Array(bytes.buffer, at, n);
  return new Float32Array(bytes.slice(p, p + 4 * n).buffer);
}
