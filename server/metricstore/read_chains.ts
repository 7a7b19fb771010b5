/**
 * Reads buffer chains into one Float64Array on a common time grid, adding
 * the chains together (the caller divides for averages).
 *
 * The grid starts at `from`, or at the first write of the oldest chain when
 * `from` lies before it, and steps by the metric frequency. A sample at grid
 * time `t` comes from the slot of the buffer covering `t` (a buffer covers
 * its capacity range, up to where its newer neighbour takes over); gaps
 * between buffers and unwritten slots give NaN, and NaN in any
 * chain makes the sum NaN at that step. The series ends at the end of the
 * shortest chain (the newest samples of some children may not have arrived
 * yet). Chains with no data inside `[from, to)` are left out.
 *
 * Deliberate difference to cc-backend: chains that start later than others
 * contribute NaN in front instead of failing the whole read with "data does
 * not align".
 *
 * @module
 */
import { type MetricBuffer, oldestOf } from "./buffer.ts";

/** A read before resampling. */
export interface ChainRead {
  /** One value per step; NaN where data is missing. */
  data: Float64Array;
  /** Time of `data[0]`. */
  from: number;
  /** Exclusive end: `from + data.length · step`. */
  to: number;
  /** Number of chains that were combined (0 when none overlapped the range). */
  chains: number;
}

/** Reads and adds the chains ending at `heads` over `[from, to)` with step `freq`. */
export function readChains(
  heads: readonly MetricBuffer[],
  grid: { freq: number; from: number; to: number },
): ChainRead {
  const { freq, from, to } = grid;
  const oldest: MetricBuffer[] = [];
  let first = Infinity;
  let end = Infinity;
  for (const head of heads) {
    if (head.len === 0) continue;
    const o = oldestOf(head);
    const fw = o.firstWrite();
    const e = head.start + head.len * head.freq;
    if (e <= from || fw >= to) continue;
    oldest.push(o);
    if (fw < first) first = fw;
    if (e < end) end = e;
  }
  if (oldest.length === 0) return { data: new Float64Array(0), from, to: from, chains: 0 };
  const start = from > first ? from : first;
  const stop = to < end ? to : end;
  const n = stop > start ? Math.ceil((stop - start) / freq) : 0;
  const data = new Float64Array(n);
  for (let c = 0; c < oldest.length; c++) fillFromChain(oldest[c], start, freq, n, data, c > 0);
  return { data, from: start, to: start + n * freq, chains: oldest.length };
}

/** Writes (or, with `add`, adds) the chain's values at `start + i·freq` into `out`. */
function fillFromChain(
  oldest: MetricBuffer,
  start: number,
  freq: number,
  n: number,
  out: Float64Array,
  add: boolean,
): void {
  let b = oldest;
  let i = 0;
  while (i < n) {
    const t = start + i * freq;
    while (b.next !== null && t >= segmentEnd(b)) b = b.next;
    if (t < b.start) {
      let k = Math.ceil((b.start - t) / freq);
      if (k > n - i) k = n - i;
      out.fill(NaN, i, i + k);
      i += k;
      continue;
    }
    const idx = Math.floor((t - b.start) / b.freq);
    if (b.freq !== freq) {
      // A chain restored with another frequency: sample step by step.
      const v = idx < b.len ? b.data[b.off + idx] : NaN;
      out[i] = add ? out[i] + v : v;
      i++;
      continue;
    }
    let m = b.next !== null ? Math.ceil((segmentEnd(b) - t) / freq) : n - i;
    if (m > n - i) m = n - i;
    let k = b.len - idx;
    if (k > m) k = m;
    if (k < 0) k = 0;
    const src = b.off + idx;
    if (add) {
      const data = b.data;
      for (let j = 0; j < k; j++) out[i + j] += data[src + j];
    } else if (k > 0) {
      out.set(b.data.subarray(src, src + k), i);
    }
    if (m > k) out.fill(NaN, i + k, i + m);
    i += m;
  }
}

/**
 * Where a buffer with a newer neighbour stops answering: at the end of its
 * capacity, or earlier where the neighbour starts after the buffer's last
 * written slot (a restored buffer, or a head closed early).
 */
function segmentEnd(b: MetricBuffer): number {
  const capEnd = b.start + b.cap * b.freq;
  const next = b.next!;
  const dataEnd = b.start + b.len * b.freq;
  const handOver = next.start > dataEnd ? next.start : dataEnd;
  return handOver < capEnd ? handOver : capEnd;
}
