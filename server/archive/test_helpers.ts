/**
 * Helpers shared by the archive tests: fixture location and temp directories.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** The reference test archive (clusters alex, emmy, fritz; two emmy jobs). */
export const FIXTURE_ARCHIVE: string = fileURLToPath(
  new URL("../../tests/fixtures/archive", import.meta.url),
);

/** Reads and parses `<fixture>/<cluster>/cluster.json`. */
export function fixtureClusterJson(cluster: string): unknown {
  return JSON.parse(Deno.readTextFileSync(`${FIXTURE_ARCHIVE}/${cluster}/cluster.json`));
}

/** Runs `fn` with a fresh temp directory that is removed afterwards. */
export async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "cc-archive-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
