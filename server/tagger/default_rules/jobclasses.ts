/**
 * The built-in job-class rules: copies of cc-backend's
 * `configs/tagger/jobclasses` files, used when `./var/tagger/jobclasses`
 * does not exist. JSON imports, so that `deno compile` embeds them; a test
 * checks them against `tests/fixtures/tagger/jobclasses`.
 *
 * @module
 */
import highMemoryUsage from "./jobclasses/highMemoryUsage.json" with { type: "json" };
import highload from "./jobclasses/highload.json" with { type: "json" };
import lowload from "./jobclasses/lowload.json" with { type: "json" };
import lowUtilization from "./jobclasses/lowUtilization.json" with { type: "json" };
import memoryBound from "./jobclasses/memoryBound.json" with { type: "json" };
import parameters from "./jobclasses/parameters.json" with { type: "json" };

/** File name → parsed content of each built-in job-class file (parameters.json included). */
export const DEFAULT_JOBCLASS_FILES: Readonly<Record<string, unknown>> = Object.freeze({
  "highMemoryUsage.json": highMemoryUsage,
  "highload.json": highload,
  "lowUtilization.json": lowUtilization,
  "lowload.json": lowload,
  "memoryBound.json": memoryBound,
  "parameters.json": parameters,
});
