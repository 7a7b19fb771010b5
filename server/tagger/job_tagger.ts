/**
 * What both taggers have in common: a name and kind as the admin API lists
 * them, rules loaded from a directory, and tagging one job.
 *
 * @module
 */
import type { Job } from "../archive/mod.ts";
import type { TaggingResult } from "./apply_tagging.ts";

/** When a tagger runs automatically: on job start or after a stopped job is archived. */
export type TaggerType = "start" | "stop";

/** A tagger. */
export interface JobTagger {
  /** `AppTagger` or `JobClassTagger`, as cc-backend names them. */
  readonly name: string;
  readonly type: TaggerType;
  /** The rule directory (watched when it exists). */
  readonly dir: string;
  /** (Re)loads the rules; the previous ones stay in use until the new ones are ready. */
  load(): Promise<void>;
  /** Tags one job; null when there was nothing to do. */
  tagJob(job: Job): Promise<TaggingResult | null>;
}
