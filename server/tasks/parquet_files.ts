/**
 * Parquet output of the retention tasks (hyparquet-writer, zstd like
 * cc-backend): rows are batched and a file is written whenever the next row
 * would take the estimated batch size past the limit. Files are named
 * `<prefix>-<YYYY-MM-DD>-<NNN>.parquet` with the first free number, so a
 * second run on the same day adds files instead of overwriting them.
 *
 * @module
 */

import { join } from "node:path";
import { zstdCompressSync } from "node:zlib";
import { ByteWriter, type ColumnSource, parquetWrite } from "hyparquet-writer";
import { writeFileAtomic } from "../archive/fs_util.ts";

export type { ColumnSource };

/** Encodes columns as one zstd-compressed Parquet file. */
export function encodeParquet(columns: ColumnSource[]): Uint8Array {
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    columnData: columns,
    codec: "ZSTD",
    compressors: { ZSTD: (bytes: Uint8Array) => new Uint8Array(zstdCompressSync(bytes)) },
    createdBy: "cc-backend (Deno)",
  });
  return writer.getBytes();
}

/** `YYYY-MM-DD` of unix time `seconds` in the local time zone. */
export function localDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Options of a {@link ParquetBatchWriter}. */
export interface ParquetBatchWriterOptions<R> {
  /** Directory of the files (created when needed). */
  dir: string;
  /** File name start, e.g. `cc-archive-2025-01-31`. */
  prefix: string;
  /** Estimated bytes per file before a new one starts. */
  maxBytes: number;
  /** Estimated size of one row. */
  estimate(row: R): number;
  /** Turns a batch into columns. */
  columns(rows: R[]): ColumnSource[];
  /** Called after a batch is safely on disk. */
  onWritten?(rows: readonly R[], file: string): void;
}

/** Collects rows and writes them as numbered Parquet files. */
export class ParquetBatchWriter<R> {
  readonly #options: ParquetBatchWriterOptions<R>;
  #rows: R[] = [];
  #size = 0;
  #counter = 0;
  /** Paths of the files written so far. */
  readonly files: string[] = [];

  /** A writer into `options.dir`. */
  constructor(options: ParquetBatchWriterOptions<R>) {
    this.#options = options;
  }

  /** Adds a row, first writing the batch when the row would not fit. */
  async add(row: R): Promise<void> {
    const size = this.#options.estimate(row);
    if (this.#rows.length > 0 && this.#size + size > this.#options.maxBytes) await this.flush();
    this.#rows.push(row);
    this.#size += size;
  }

  /** Writes the pending rows (if any) as the next file. */
  async flush(): Promise<void> {
    if (this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    this.#size = 0;
    const bytes = encodeParquet(this.#options.columns(rows));
    await Deno.mkdir(this.#options.dir, { recursive: true });
    let file: string;
    do {
      this.#counter++;
      const name = `${this.#options.prefix}-${String(this.#counter).padStart(3, "0")}.parquet`;
      file = join(this.#options.dir, name);
    } while (await exists(file));
    await writeFileAtomic(file, bytes);
    this.files.push(file);
    this.#options.onWritten?.(rows, file);
  }
}
