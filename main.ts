/**
 * cc-backend for Deno: job-specific performance monitoring for HPC clusters.
 * See README.md for the flags; `-help` lists them.
 *
 * @module
 */
import { run } from "./cli/run.ts";

if (import.meta.main) {
  Deno.exit(await run(Deno.args));
}
