/**
 * Reloading tagger rules when their directory changes. Events are debounced
 * (an editor's save is several events) and reloads never overlap; read-only
 * access events are ignored, or reading the rules would trigger a reload.
 *
 * @module
 */
import { log } from "../log/logger.ts";

/** A running watch. */
export interface RuleWatcher {
  /** Stops watching and waits for a reload in progress. */
  close(): Promise<void>;
}

/** Options of {@link watchRuleDir}. */
export interface WatchRuleDirOptions {
  /** Quiet time after the last event before reloading (default 250 ms). */
  debounceMs?: number;
}

/**
 * Calls `reload` after changes in `dir`. Returns null when `dir` does not
 * exist (the built-in rules are in use; creating the directory needs a restart).
 */
export function watchRuleDir(
  dir: string,
  reload: () => Promise<void>,
  options: WatchRuleDirOptions = {},
): RuleWatcher | null {
  let watcher: Deno.FsWatcher;
  try {
    watcher = Deno.watchFs(dir, { recursive: false });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw new Error(`cannot watch tagger rules in ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const debounceMs = options.debounceMs ?? 250;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reloading: Promise<void> = Promise.resolve();
  const scheduleReload = () => {
    timer = undefined;
    reloading = reloading.then(reload).catch((error) => {
      log.error(`reloading tagger rules from ${dir} failed: ${(error as Error).message}`);
    });
  };
  const loop = (async () => {
    for await (const event of watcher) {
      if (event.kind === "access") continue;
      clearTimeout(timer);
      timer = setTimeout(scheduleReload, debounceMs);
    }
  })().catch((error) => log.error(`watching ${dir} failed: ${(error as Error).message}`));
  return {
    async close() {
      try {
        watcher.close();
      } catch (error) {
        if (!(error instanceof Deno.errors.BadResource)) throw error;
      }
      clearTimeout(timer);
      await loop;
      await reloading;
    },
  };
}
