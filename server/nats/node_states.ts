/**
 * The node-state subject (`main.api-subjects.subject-node-state`): lines
 * `nodestate event="<JSON>" <ns>` whose JSON is the body of REST
 * `/api/nodestate/` (`{"cluster": ..., "nodes": [...]}`), stored by the same
 * service (scheduler state, metric health, server receive time).
 *
 * @module
 */
import type { ClusterInfo } from "../archive/mod.ts";
import type { DatabaseSync } from "node:sqlite";
import { AppError } from "../errors.ts";
import { type NodeHealthChecker, type NodeStatesRequest, updateNodeStates } from "../nodes/mod.ts";
import { decodeEventLines, type EventLine } from "./event_line.ts";
import { decodePayload } from "./event_payload.ts";
import { SubjectCounter } from "./nats_stats.ts";
import { NODE_STATES_SCHEMA } from "../api/rest/nodestate_routes.ts";

/** What {@link NodeStateHandler} works with. */
export interface NodeStateOptions {
  subject: string;
  db: DatabaseSync;
  clusters: { cluster(name: string): ClusterInfo | undefined };
  /** Metric health of the nodes (default: unchecked, as without a metric store). */
  health?: NodeHealthChecker;
  /** Clock in unix seconds. */
  now?: () => number;
}

const decoder = new TextDecoder();

/** Handles the messages of the node-state subject. */
export class NodeStateHandler {
  readonly counter: SubjectCounter;
  readonly #options: NodeStateOptions;

  constructor(options: NodeStateOptions) {
    this.counter = new SubjectCounter(options.subject, "node-states");
    this.#options = options;
  }

  /** Handles one message, line by line. */
  async handle(data: Uint8Array): Promise<void> {
    this.counter.stats.messages++;
    const text = decoder.decode(data);
    if (text.trim() === "") {
      this.counter.reject("received empty message");
      return;
    }
    for (const decoded of decodeEventLines(text)) {
      if (!decoded.ok) {
        this.counter.reject(`line ${decoded.bad.lineNo}: ${decoded.bad.error}`);
        continue;
      }
      await this.#handleLine(decoded.line);
    }
  }

  async #handleLine(line: EventLine): Promise<void> {
    const at = `line ${line.lineNo}`;
    if (line.measurement !== "nodestate") {
      this.counter.reject(
        `${at}: measurement ${JSON.stringify(line.measurement)} is not "nodestate"`,
      );
      return;
    }
    const event = line.fields.event;
    if (typeof event !== "string") {
      this.counter.ignore(`${at}: no string field "event"`);
      return;
    }
    try {
      const request = decodePayload<NodeStatesRequest>(event, NODE_STATES_SCHEMA, "nodestate");
      const result = await updateNodeStates(request, {
        db: this.#options.db,
        clusters: this.#options.clusters,
        health: this.#options.health,
        now: this.#options.now,
      });
      if (result.stored === 0 && result.skipped.length > 0) {
        this.counter.reject(
          `${at}: none of ${result.skipped.length} node(s) stored: ${result.reason}`,
        );
        return;
      }
      this.counter.stats.accepted++;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      this.counter.reject(`${at}: ${error.message}`, {
        level: error.status >= 500 ? "error" : "warn",
      });
    }
  }
}
