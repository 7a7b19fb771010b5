/**
 * `deno task bench`: runs every benchmark and prints its figures.
 *
 * @module
 */
import { benchArchiver } from "./archiver_bench.ts";
import { benchCheckpoints } from "./checkpoint_bench.ts";
import { benchGraphql } from "./graphql_bench.ts";
import { benchInitDb } from "./init_db_bench.ts";
import { benchMetricStore } from "./metricstore_bench.ts";
import { benchPageWeight } from "./page_weight.ts";
import { benchRest } from "./rest_bench.ts";

console.log("== init-db: jobs imported per second from a generated archive");
await benchInitDb(20000);

console.log("\n== metric store: ingest over HTTP, bytes per point, query latency");
await benchMetricStore();

console.log("\n== metric-store checkpoints: snapshot and restore of 100 M points, WAL overhead");
await benchCheckpoints();

console.log("\n== archiver: 4-node, 8-hour jobs archived per second");
await benchArchiver(12);

await benchPageWeight();

console.log("\n== graphql: /query latency on a 1,000,000-job database");
await benchGraphql(1_000_000);

console.log("\n== REST: start/stop pairs per second over HTTP; GET /api/jobs/ on 1,000,000 jobs");
await benchRest();
