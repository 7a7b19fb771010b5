/**
 * cc-backend's JSON snapshot format (`<from>.json`, file-format `json`):
 * `{"from":F,"to":T,"metrics":{"<name>":{"frequency":N,"start":S,"data":[…]}},
 * "children":{"<name>":{…}}}`, with `null` for a missing sample.
 *
 * Deliberate difference: values are written with full float64 precision
 * (the shortest text that reads back to the same number); cc-backend writes
 * one decimal at float32 precision (`%.1f`), losing precision. Both read
 * either.
 *
 * @module
 */
import { type CheckpointFile, emptyCheckpoint } from "./checkpoint_file.ts";

/** Encodes a snapshot as JSON text. */
export function encodeJsonSnapshot(file: CheckpointFile): string {
  const parts: string[] = [];
  const level = (l: CheckpointFile) => {
    parts.push(`{"from":${l.from},"to":${l.to},"metrics":{`);
    let first = true;
    for (const [name, s] of l.metrics) {
      parts.push(
        `${first ? "" : ","}${
          JSON.stringify(name)
        }:{"frequency":${s.frequency},"start":${s.start},"data":[`,
      );
      first = false;
      const d = s.data;
      let text = "";
      for (let i = 0; i < d.length; i++) {
        const v = d[i];
        text += (i === 0 ? "" : ",") + (Number.isFinite(v) ? String(v) : "null");
        if (text.length > 65536) {
          parts.push(text);
          text = "";
        }
      }
      parts.push(text, "]}");
    }
    parts.push('},"children":{');
    first = true;
    for (const [name, child] of l.children) {
      parts.push(`${first ? "" : ","}${JSON.stringify(name)}:`);
      first = false;
      level(child);
    }
    parts.push("}}");
  };
  level(file);
  return parts.join("");
}

/** Decodes JSON snapshot text; throws naming the first malformed field. */
export function decodeJsonSnapshot(text: string): CheckpointFile {
  return toCheckpoint(JSON.parse(text), "", 0);
}

function toCheckpoint(raw: unknown, path: string, depth: number): CheckpointFile {
  const where = path === "" ? "the snapshot" : `child ${path}`;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new Error(`${where} is not an object`);
  }
  if (depth > 32) throw new Error(`${where} is nested deeper than 32 levels`);
  const o = raw as Record<string, unknown>;
  const file = emptyCheckpoint(integer(o.from, `${where}: from`), integer(o.to, `${where}: to`));
  for (const [name, m] of Object.entries(object(o.metrics, `${where}: metrics`))) {
    const s = object(m, `${where}: metric ${name}`);
    const data = s.data ?? [];
    if (!Array.isArray(data)) throw new Error(`${where}: metric ${name}: data is not an array`);
    const values = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v === null) values[i] = NaN;
      else if (typeof v === "number") values[i] = v;
      else throw new Error(`${where}: metric ${name}: data[${i}] is not a number or null`);
    }
    file.metrics.set(name, {
      frequency: integer(s.frequency, `${where}: metric ${name}: frequency`),
      start: integer(s.start, `${where}: metric ${name}: start`),
      data: values,
    });
  }
  for (const [name, child] of Object.entries(object(o.children, `${where}: children`))) {
    const childPath = path === "" ? name : `${path}/${name}`;
    file.children.set(name, toCheckpoint(child, childPath, depth + 1));
  }
  return file;
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw new Error(`${what} is not an object`);
  return v as Record<string, unknown>;
}

function integer(v: unknown, what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== "number" || !Number.isSafeInteger(v)) {
    throw new Error(`${what} is not an integer`);
  }
  return v;
}
