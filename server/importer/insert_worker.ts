/**
 * Worker entry of `-init-db`: opens its own connection to the database and
 * inserts the batches the main thread posts, answering each with its result.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { openDatabase } from "../db/mod.ts";
import type { DbConfig } from "../config/mod.ts";
import { BatchInserter, type PreparedJob } from "./insert_batch.ts";

/** Messages the worker understands. */
export type InsertWorkerRequest =
  | { type: "open"; path: string; dbConfig?: Partial<DbConfig> }
  | { type: "batch"; jobs: PreparedJob[] }
  | { type: "close" };

let inserter: BatchInserter | undefined;
let close: (() => void) | undefined;

self.onmessage = (event: MessageEvent<InsertWorkerRequest>) => {
  const request = event.data;
  try {
    if (request.type === "open") {
      const db = openDatabase(request.path, { dbConfig: request.dbConfig });
      inserter = new BatchInserter(db);
      close = () => {
        inserter?.flush();
        db.close();
      };
      self.postMessage({ type: "opened" });
    } else if (request.type === "batch") {
      if (!inserter) throw new Error("insert worker: batch before open");
      self.postMessage({ type: "result", result: inserter.insert(request.jobs) });
    } else {
      close?.();
      self.postMessage({ type: "closed" });
      self.close();
    }
  } catch (error) {
    self.postMessage({
      type: "error",
      error: error instanceof Error ? error.message : String(error),
    });
  }
};
