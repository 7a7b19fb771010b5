/**
 * `deno task bench`: runs every benchmark and prints its figures.
 *
 * @module
 */
import { benchInitDb } from "./init_db_bench.ts";

console.log("== init-db: jobs imported per second from a generated archive");
await benchInitDb(20000);
