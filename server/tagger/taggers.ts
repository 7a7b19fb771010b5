/**
 * Both taggers of one process: the automatic runs (app detection when a job
 * starts, classification when a stopped job has been archived), reloading
 * rules when their directories change, and on-demand runs over all
 * non-running jobs for `-apply-tags` and the admin API, at most one run per
 * tagger at a time.
 *
 * @module
 */
import type { Job } from "../archive/mod.ts";
import { AppError } from "../errors.ts";
import type { JobHooks } from "../jobs/job_hooks.ts";
import { reposOf } from "../jobs/job_service_deps.ts";
import { log } from "../log/logger.ts";
import { AppTagger } from "./app_tagger.ts";
import type { TaggerDeps } from "./apply_tagging.ts";
import { JobClassTagger } from "./job_class_tagger.ts";
import type { JobTagger, TaggerType } from "./job_tagger.ts";
import { type RuleWatcher, watchRuleDir } from "./rule_watcher.ts";
import { runTagger, type TaggerRun } from "./run_tagger.ts";

/** A tagger as `GET /config/taggers/` lists it. */
export interface TaggerInfo {
  name: string;
  type: TaggerType;
  running: boolean;
}

/** What the admin API needs of the taggers. */
export interface TaggerControl {
  /** Both taggers, AppTagger first. */
  list(): TaggerInfo[];
  /**
   * Starts an on-demand run of the tagger `name` over all non-running jobs and
   * returns its completion (which never rejects: failures are logged). Throws
   * a 409 right away for an unknown name or a tagger that is already running.
   */
  start(name: string): Promise<TaggerRun | null>;
}

/** Options of {@link Taggers}. */
export interface TaggersOptions {
  /** Default `./var/tagger/apps`. */
  appsDir?: string;
  /** Default `./var/tagger/jobclasses`. */
  jobClassesDir?: string;
  /** Debounce of rule reloads (tests shorten it). */
  reloadDebounceMs?: number;
}

/** The app and job-class taggers of one process. */
export class Taggers implements TaggerControl {
  readonly app: AppTagger;
  readonly jobClass: JobClassTagger;
  readonly #deps: TaggerDeps;
  readonly #options: TaggersOptions;
  readonly #running = new Map<string, Promise<void>>();
  readonly #stop = new AbortController();
  #watchers: RuleWatcher[] = [];

  constructor(deps: TaggerDeps, options: TaggersOptions = {}) {
    this.#deps = deps;
    this.#options = options;
    this.app = new AppTagger(deps, { dir: options.appsDir });
    this.jobClass = new JobClassTagger(deps, { dir: options.jobClassesDir });
  }

  /** Both taggers, in the order they are listed and run. */
  get taggers(): readonly JobTagger[] {
    return [this.app, this.jobClass];
  }

  /** Loads the rules of both taggers. */
  async load(): Promise<void> {
    await Promise.all(this.taggers.map((t) => t.load()));
  }

  /** Both taggers, AppTagger first, and whether an on-demand run of each is in progress. */
  list(): TaggerInfo[] {
    return this.taggers.map((t) => ({
      name: t.name,
      type: t.type,
      running: this.#running.has(t.name),
    }));
  }

  /** Starts an on-demand run; see {@link TaggerControl.start}. */
  start(name: string): Promise<TaggerRun | null> {
    return this.#begin(name).catch((error) => {
      // Nobody awaits an API-started run; its failure must still show up.
      log.error((error as Error).message);
      return null;
    });
  }

  /** Runs both taggers, one after the other, over all non-running jobs (`-apply-tags`). */
  async runAll(): Promise<TaggerRun[]> {
    const runs: TaggerRun[] = [];
    for (const tagger of this.taggers) runs.push(await this.#begin(tagger.name));
    return runs;
  }

  /** Starts a run of `name` (409 if unknown or running); the promise rejects if the run fails. */
  #begin(name: string): Promise<TaggerRun> {
    const tagger = this.taggers.find((t) => t.name === name);
    if (!tagger) throw new AppError(409, `unknown tagger: ${name}`);
    if (this.#running.has(name)) throw new AppError(409, `tagger ${name} is already running`);
    const run = (async () => {
      try {
        // Rules may have changed on disk without a watcher (taggers not enabled).
        await tagger.load();
        return await runTagger(tagger, this.#deps, { signal: this.#stop.signal });
      } catch (error) {
        throw new Error(`${name}: run failed: ${(error as Error).message}`, { cause: error });
      } finally {
        this.#running.delete(name);
      }
    })();
    this.#running.set(name, run.then(() => {}, () => {}));
    return run;
  }

  /**
   * Tags every started job with its apps and classifies every archived job;
   * returns the unsubscribe function.
   */
  subscribe(hooks: JobHooks): () => void {
    const { app, jobClass } = this;
    const { jobs } = reposOf(this.#deps.db);
    const offStarted = hooks.onJobStarted(async function appTaggerHook(job: Job) {
      await app.tagJob(job);
    });
    const offArchived = hooks.onJobArchived(async function jobClassTaggerHook(job: Job) {
      if (!job.id) {
        // A copy read from the archive has no database id (or Go's 0).
        const found = jobs.find(job.jobId, { cluster: job.cluster, startTime: job.startTime });
        if (!found) return;
        job.id = found.id;
      }
      await jobClass.tagJob(job, { archived: true });
    });
    return () => {
      offStarted();
      offArchived();
    };
  }

  /** Reloads each tagger's rules when its directory changes (directories that exist now). */
  watch(): void {
    for (const tagger of this.taggers) {
      const watcher = watchRuleDir(tagger.dir, () => tagger.load(), {
        debounceMs: this.#options.reloadDebounceMs,
      });
      if (watcher) this.#watchers.push(watcher);
    }
  }

  /**
   * Stops watching, asks running on-demand runs to stop after their current
   * job, and waits for them. Later runs stop at once: close is for shutdown.
   */
  async close(): Promise<void> {
    this.#stop.abort();
    const watchers = this.#watchers;
    this.#watchers = [];
    await Promise.all([...watchers.map((w) => w.close()), ...this.#running.values()]);
  }
}
