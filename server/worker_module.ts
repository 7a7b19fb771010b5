/**
 * Whether a Worker can load a local module here. Deno checks read
 * permission for every local module a Worker loads (unlike the main module
 * graph): under `deno run` with confined reads the server's workers cannot
 * start, while a compiled binary has them embedded and readable.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** True when `module` is not a file, or the process may read it. */
export function canLoadWorkerModule(module: URL): boolean {
  if (module.protocol !== "file:") return true;
  return Deno.permissions.querySync({ name: "read", path: fileURLToPath(module) }).state ===
    "granted";
}
