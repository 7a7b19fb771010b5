/**
 * Subscriptions to job life-cycle events: the archiver listens for stopped
 * jobs, the taggers for started and archived ones. Publishing never fails the
 * operation that happened: a hook's error is logged.
 *
 * @module
 */
import type { Job } from "../archive/types.ts";
import { log } from "../log/logger.ts";

/** A subscriber; it receives its own copy of the job. */
export type JobHook = (job: Job) => void | Promise<void>;

/** The hook lists of one server. */
export class JobHooks {
  readonly #started = new Set<JobHook>();
  readonly #stopped = new Set<JobHook>();
  readonly #archived = new Set<JobHook>();

  /** Calls `hook` after every job start is stored; returns the unsubscribe function. */
  onJobStarted(hook: JobHook): () => void {
    this.#started.add(hook);
    return () => this.#started.delete(hook);
  }

  /**
   * Calls `hook` after every job stop is stored (state and duration set in the
   * database, the archive not yet written); returns the unsubscribe function.
   */
  onJobStopped(hook: JobHook): () => void {
    this.#stopped.add(hook);
    return () => this.#stopped.delete(hook);
  }

  /**
   * Calls `hook` after every successful archiving: the job carries its final
   * statistics, footprint, energy, tags and monitoring status 3, and its
   * meta.json and data are in the archive (cc-backend runs the job-class
   * tagger here). Returns the unsubscribe function.
   */
  onJobArchived(hook: JobHook): () => void {
    this.#archived.add(hook);
    return () => this.#archived.delete(hook);
  }

  /** Announces a started job. The promise settles when every hook is done; callers need not wait. */
  jobStarted(job: Job): Promise<void> {
    return publish("started", this.#started, job);
  }

  /** Announces a stopped job. The promise settles when every hook is done; callers need not wait. */
  jobStopped(job: Job): Promise<void> {
    return publish("stopped", this.#stopped, job);
  }

  /** Announces an archived job. The promise settles when every hook is done. */
  jobArchived(job: Job): Promise<void> {
    return publish("archived", this.#archived, job);
  }
}

async function publish(event: string, hooks: Set<JobHook>, job: Job): Promise<void> {
  const runs = [...hooks].map(async (hook) => {
    try {
      await hook(structuredClone(job));
    } catch (error) {
      log.error(
        `job ${event} hook ${hook.name || "(anonymous)"} failed for job ${job.id} ` +
          `(jobId ${job.jobId} on "${job.cluster}"): ${(error as Error)?.message ?? error}`,
      );
    }
  });
  await Promise.all(runs);
}
