/**
 * Progress display for `-init-db`: a bar on a terminal (cli-progress), a
 * plain line every few seconds otherwise (logs, CI, systemd).
 *
 * @module
 */
import cliProgress from "cli-progress";

/** Receives running totals and closes the display at the end. */
export interface ProgressDisplay {
  update(imported: number, failed: number): void;
  stop(): void;
}

/** A display for `total` jobs; a bar when stderr is a terminal. */
export function createProgressDisplay(total: number): ProgressDisplay {
  if (Deno.stderr.isTerminal()) {
    const bar = new cliProgress.SingleBar({
      format: "init-db |{bar}| {value}/{total} jobs | {failed} failed | {eta_formatted} left",
      stream: process.stderr,
      hideCursor: true,
    }, cliProgress.Presets.shades_classic);
    bar.start(total, 0, { failed: 0 });
    return {
      update: (imported, failed) => bar.update(imported + failed, { failed }),
      stop: () => bar.stop(),
    };
  }
  let last = Date.now();
  const line = (imported: number, failed: number) =>
    console.error(`init-db: ${imported + failed}/${total} jobs read, ${failed} failed`);
  let latest = [0, 0];
  return {
    update(imported, failed) {
      latest = [imported, failed];
      const now = Date.now();
      if (now - last >= 2000) {
        last = now;
        line(imported, failed);
      }
    },
    stop: () => line(latest[0], latest[1]),
  };
}
