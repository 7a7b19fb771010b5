/**
 * The job-event subject (`main.api-subjects.subject-job-event`): lines
 * `job,function=start_job|stop_job event="<JSON>" <ns>` start and stop jobs
 * through the same services and checks as REST `start_job`/`stop_job`, as a
 * trusted caller (no user). No reply is sent; every rejected line is logged
 * with its reason and counted.
 *
 * Differences to cc-backend: a `stop_job` whose job is not there yet is tried
 * again for a while (see stop_retries.ts) instead of failing at once; a bad
 * line does not abort the lines after it; tags of a start are attached.
 *
 * @module
 */
import { START_JOB_SCHEMA, STOP_JOB_SCHEMA } from "../api/rest/job_control_schemas.ts";
import { AppError } from "../errors.ts";
import {
  type JobServiceDeps,
  NO_ROWS,
  startJob,
  type StartJobRequest,
  stopJob,
  type StopJobRequest,
} from "../jobs/mod.ts";
import { log } from "../log/logger.ts";
import { decodeEventLines, type EventLine } from "./event_line.ts";
import { decodePayload } from "./event_payload.ts";
import { SubjectCounter } from "./nats_stats.ts";
import { type RetryPolicy, StopRetries } from "./stop_retries.ts";

/** What {@link JobEventHandler} works with. */
export interface JobEventOptions {
  subject: string;
  /** The job services' dependencies; `user` must be unset (NATS is a trusted caller). */
  deps: JobServiceDeps;
  /** How long a stop waits for its start (default: 30 s, backoff 0.25 s to 5 s). */
  retry?: Partial<RetryPolicy>;
}

const decoder = new TextDecoder();

/** Handles the messages of the job-event subject. */
export class JobEventHandler {
  readonly counter: SubjectCounter;
  readonly #deps: JobServiceDeps;
  readonly #retries: StopRetries;
  readonly #deadlineSeconds: number;

  constructor(options: JobEventOptions) {
    this.counter = new SubjectCounter(options.subject, "job-events");
    this.#deps = { ...options.deps, user: undefined };
    this.#retries = new StopRetries(options.retry);
    this.#deadlineSeconds = (options.retry?.deadlineMs ?? 30_000) / 1000;
  }

  /** Stops waiting for their start. */
  get pendingStops(): number {
    return this.#retries.size;
  }

  /** Handles one message, line by line. */
  handle(data: Uint8Array): void {
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
      this.#handleLine(decoded.line);
    }
  }

  /** Shutdown: one last try for every waiting stop; those still without job are rejected. */
  flush(): void {
    this.#retries.flush();
  }

  #handleLine(line: EventLine): void {
    const at = `line ${line.lineNo}`;
    if (line.measurement !== "job") {
      this.counter.ignore(`${at}: measurement ${JSON.stringify(line.measurement)} is not "job"`);
      return;
    }
    const event = line.fields.event;
    if (typeof event !== "string") {
      this.counter.ignore(`${at}: no string field "event"`);
      return;
    }
    const fn = line.tags.function;
    if (fn !== "start_job" && fn !== "stop_job") {
      this.counter.reject(
        fn === undefined
          ? `${at}: job event without tag "function" (start_job or stop_job)`
          : `${at}: unknown function ${JSON.stringify(fn)} (start_job or stop_job)`,
      );
      return;
    }
    try {
      if (fn === "start_job") {
        this.#start(decodePayload<StartJobRequest>(event, START_JOB_SCHEMA, fn), at);
      } else {
        this.#stop(decodePayload<StopJobRequest>(event, STOP_JOB_SCHEMA, fn), at);
      }
    } catch (error) {
      this.#rejectError(error, at);
    }
  }

  #start(request: StartJobRequest, at: string): void {
    try {
      startJob(request, this.#deps);
    } catch (error) {
      this.#rejectError(error, `${at}: start_job ${describe(request)}`);
      return;
    }
    this.counter.stats.accepted++;
    this.#retries.wake(String(request.jobId ?? 0));
  }

  #stop(request: StopJobRequest, at: string): void {
    const what = `${at}: stop_job ${describe(request)}`;
    const attempt = (): boolean => {
      try {
        stopJob(request, this.#deps);
      } catch (error) {
        if (error instanceof AppError && error.status === 404) return false;
        this.#rejectError(error, what);
        return true;
      }
      this.counter.stats.accepted++;
      return true;
    };
    if (attempt()) return;
    this.counter.stats.retried++;
    log.info(
      `NATS: ${what}: no such job (yet); retrying for up to ${this.#deadlineSeconds} s ` +
        "in case its start_job is still on its way",
    );
    this.#retries.add(String(request.jobId), attempt, (waitedMs) => {
      this.counter.reject(
        `${what}: finding job failed: ${NO_ROWS} (no matching start_job within ` +
          `${(waitedMs / 1000).toFixed(1)} s)`,
      );
    });
  }

  #rejectError(error: unknown, what: string): void {
    if (error instanceof AppError) {
      this.counter.reject(`${what}: ${error.message}`, {
        level: error.status >= 500 ? "error" : "warn",
      });
      return;
    }
    // Not a request failure: a bug or a broken database. Logged as an error and counted.
    this.counter.reject(`${what}: ${(error as Error)?.stack ?? error}`, { level: "error" });
  }
}

function describe(request: StartJobRequest | StopJobRequest): string {
  const cluster = request.cluster ? ` on ${JSON.stringify(request.cluster)}` : "";
  return `jobId ${request.jobId ?? "(none)"}${cluster}`;
}
