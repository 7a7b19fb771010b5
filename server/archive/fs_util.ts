/**
 * Small file helpers for the archive: atomic writes and gzip that fail with messages
 * naming the file.
 *
 * @module
 */

import { gunzip, gzip } from "node:zlib";
import { promisify } from "node:util";

const gunzipAsync = promisify(gunzip);
const gzipAsync = promisify(gzip);

/**
 * Writes `data` to `path` via a temporary file in the same directory and a rename, so
 * readers never see a half-written file.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw new Error(`cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** Decompresses gzip bytes read from `path`; a truncated or corrupt file is an error naming it. */
export async function gunzipFile(bytes: Uint8Array, path: string): Promise<Uint8Array> {
  try {
    return await gunzipAsync(bytes);
  } catch (e) {
    throw new Error(`corrupt gzip file ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** Compresses bytes with gzip at the default level (as cc-backend does). */
export async function gzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  return await gzipAsync(bytes);
}

/** Removes a file, ignoring that it does not exist. */
export async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** Reads a file, returning undefined when it does not exist. */
export async function readIfExists(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
