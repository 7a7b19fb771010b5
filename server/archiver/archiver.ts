/**
 * The archiving queue: stopped jobs are archived one after the other, in
 * the order they stopped, by a single worker (as cc-backend's archiver).
 * For each job the worker re-reads the row (current state, metadata, tags),
 * archives it (archive_job.ts), stores footprint, energy and monitoring
 * status 3, and announces the archived job on {@link JobHooks}.
 *
 * - Archiving failures (no readable data, archive write) set monitoring
 *   status 2 and log the reason; a failing database update leaves status 1,
 *   so the job is archived again at the next start.
 * - The queue lives in memory; the database is the durable record:
 *   {@link Archiver.recover} queues every stopped job still at status 1.
 * - {@link Archiver.shutdown} refuses new jobs and drains the queue, waiting
 *   at most the given time; jobs left over keep status 1.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import type { Job } from "../archive/types.ts";
import { JobRepository } from "../db/job_repository.ts";
import { TagRepository } from "../db/tag_repository.ts";
import type { JobHooks } from "../jobs/job_hooks.ts";
import { log } from "../log/logger.ts";
import { archiveJob, type ArchiveJobDeps } from "./archive_job.ts";

/** What an {@link Archiver} works with. */
export interface ArchiverOptions extends ArchiveJobDeps {
  db: DatabaseSync;
  /** Where archived jobs are announced (the job-class tagger listens). */
  hooks?: JobHooks;
}

/** The outcome of {@link Archiver.shutdown}. */
export interface ShutdownResult {
  /** Whether the queue was empty in time. */
  drained: boolean;
  /** Jobs still queued (they keep monitoring status 1). */
  left: number;
}

/** Default bound of {@link Archiver.shutdown}. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

function describe(job: Pick<Job, "jobId" | "id" | "cluster">): string {
  return `job ${job.jobId} (id ${job.id}) on ${JSON.stringify(job.cluster)}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The archiving queue and its worker. */
export class Archiver {
  readonly #deps: ArchiveJobDeps;
  readonly #jobs: JobRepository;
  readonly #tags: TagRepository;
  readonly #hooks?: JobHooks;
  readonly #queue: number[] = [];
  readonly #queued = new Set<number>();
  #head = 0;
  #worker: Promise<void> | null = null;
  #closed = false;
  #aborted = false;
  #archived = 0;
  #failed = 0;

  /** An idle archiver; jobs come in through {@link enqueue} and {@link recover}. */
  constructor(options: ArchiverOptions) {
    this.#deps = { archive: options.archive, reader: options.reader };
    this.#jobs = new JobRepository(options.db);
    this.#tags = new TagRepository(options.db);
    this.#hooks = options.hooks;
  }

  /** Jobs waiting (not counting the one being archived). */
  get pending(): number {
    return this.#queue.length - this.#head;
  }

  /** Jobs archived and jobs failed (status 2) since construction. */
  get counts(): { archived: number; failed: number } {
    return { archived: this.#archived, failed: this.#failed };
  }

  /**
   * Queues a stopped job by its database id. Jobs with monitoring status 0,
   * jobs already queued and, after {@link shutdown}, every job are refused
   * (false); a refused job keeps its status.
   */
  enqueue(job: Pick<Job, "id" | "jobId" | "cluster" | "monitoringStatus">): boolean {
    if (job.id === undefined || job.monitoringStatus === 0 || this.#queued.has(job.id)) {
      return false;
    }
    if (this.#closed) {
      log.warn(
        `archiver: shutting down, ${describe(job)} is not archived now ` +
          "(monitoring status 1; it is archived at the next start)",
      );
      return false;
    }
    this.#queue.push(job.id);
    this.#queued.add(job.id);
    this.#startWorker();
    return true;
  }

  #startWorker(): void {
    if (this.#worker) return;
    this.#worker = this.#work().finally(() => {
      this.#worker = null;
      // A job queued between the last loop check and here still needs a worker.
      if (this.pending > 0 && !this.#aborted) this.#startWorker();
    });
  }

  /**
   * Queues every stopped job still at monitoring status 1 (stopped before a
   * restart, or whose database update failed); returns how many were queued.
   */
  recover(): number {
    let queued = 0;
    for (const job of this.#jobs.unarchivedStoppedJobs()) if (this.enqueue(job)) queued++;
    if (queued > 0) log.info(`archiver: ${queued} stopped jobs left unarchived are queued`);
    return queued;
  }

  /** Settles when the queue is empty (or the worker stopped) and no job is being archived. */
  async idle(): Promise<void> {
    while (this.#worker) await this.#worker;
  }

  /**
   * Refuses new jobs and waits up to `timeoutMs` for the queue to drain.
   * After the timeout the worker stops after its current job; the jobs left
   * keep monitoring status 1 and {@link recover} picks them up later.
   */
  async shutdown(timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS): Promise<ShutdownResult> {
    this.#closed = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const outcome = await Promise.race([this.idle().then(() => "drained" as const), timeout]);
    clearTimeout(timer);
    if (outcome === "drained") return { drained: true, left: 0 };
    this.#aborted = true;
    const left = this.pending;
    log.warn(
      `archiver: shutdown timed out after ${timeoutMs} ms; ${left} queued jobs keep ` +
        "monitoring status 1 and are archived at the next start",
    );
    return { drained: false, left };
  }

  async #work(): Promise<void> {
    // Start on a later task: enqueue() runs inside the stop request, whose
    // answer must not wait for the metric reads.
    await new Promise((resolve) => setTimeout(resolve, 0));
    while (this.#head < this.#queue.length && !this.#aborted) {
      const id = this.#queue[this.#head++];
      this.#queued.delete(id);
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue.splice(0, this.#head);
        this.#head = 0;
      }
      try {
        await this.#archiveOne(id);
      } catch (error) {
        // Only database errors get here; the worker must go on with the next job.
        log.error(`archiver: job with id ${id} was not archived: ${message(error)}`);
      }
    }
  }

  async #archiveOne(id: number): Promise<void> {
    const job = this.#jobs.findById(id);
    if (!job) {
      log.warn(`archiver: job with id ${id} is no longer in the database; nothing to archive`);
      return;
    }
    // Archived meanwhile (a duplicate queue entry) or never to be archived.
    if (job.monitoringStatus !== 1 || job.jobState === "running") return;
    job.tags = this.#tags.tagsOfJob(id).map((t) => ({
      type: t.type,
      name: t.name,
      scope: t.scope,
      id: t.id,
    }));
    let archived;
    try {
      archived = await archiveJob(job, this.#deps);
    } catch (error) {
      this.#failed++;
      log.error(`archiver: ${message(error)}; monitoring status set to 2`);
      this.#jobs.setMonitoringStatus(id, 2);
      return;
    }
    if (archived.errors.length > 0) {
      log.warn(
        `archiver: ${describe(job)} archived without ${archived.errors.length} metric reads ` +
          `that failed, e.g. ${archived.errors[0]}`,
      );
    }
    try {
      if (!this.#jobs.markArchived(id, archived.meta)) {
        log.warn(`archiver: ${describe(job)} was deleted while it was being archived`);
        return;
      }
    } catch (error) {
      log.error(
        `archiver: ${describe(job)} is archived, but storing footprint and energy failed ` +
          `(monitoring status stays 1; retried at the next start): ${message(error)}`,
      );
      return;
    }
    this.#archived++;
    log.debug(`archiver: archived ${describe(job)}`);
    await this.#hooks?.jobArchived(archived.meta);
  }
}
