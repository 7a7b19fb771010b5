/**
 * `deno task bench`: runs every benchmark and prints its figures.
 *
 * @module
 */
import { benchArchiver } from "./archiver_bench.ts";
import { benchInitDb } from "./init_db_bench.ts";
import { benchPageWeight } from "./page_weight.ts";

console.log("== init-db: jobs imported per second from a generated archive");
await benchInitDb(20000);

console.log("\n== archiver: 4-node, 8-hour jobs archived per second");
await benchArchiver(12);

await benchPageWeight();
