/**
 * Rows kept for a second pass when their page cannot be read again (an export on standard input): one JSON line
 * each in a temporary file, read back in order, so memory never holds them. Nothing is written until a row comes.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type SpilledRow = (page: number, where: string, row: unknown) => void | Promise<void>;

export class RowSpill {
  private dir: string | undefined;
  private file: WriteStream | undefined;
  private failed: Error | undefined;
  /** Rows added so far. */
  rows = 0;

  private get path(): string {
    return join(this.dir!, 'rows.ndjson');
  }

  private check(): void {
    if (this.failed) throw new Error(`cannot keep standard input's machine rows for the second pass in ${this.dir ?? tmpdir()} (${(this.failed as NodeJS.ErrnoException).code ?? this.failed.message})`);
  }

  async add(page: number, where: string, row: unknown): Promise<void> {
    this.check();
    if (!this.file) {
      this.dir = await mkdtemp(join(tmpdir(), 'wac-doctor-fleet-spill-'));
      this.file = createWriteStream(this.path, { flags: 'wx', mode: 0o600 }).on('error', (err) => { this.failed = err; });
    }
    // JSON.stringify escapes line breaks inside strings: one row is one line.
    const ok = this.file.write(`${JSON.stringify([page, where, row])}\n`);
    this.rows++;
    if (!ok) await new Promise<void>((resolve) => { this.file!.once('drain', resolve).once('error', () => resolve()); });
    this.check();
  }

  /** Every row added, in order. */
  async replay(onRow: SpilledRow): Promise<void> {
    const file = this.file;
    if (!file) return;
    await new Promise<void>((resolve) => file.end(() => resolve()));
    this.check();
    const lines = createInterface({ input: createReadStream(this.path), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line === '') continue;
      const [page, where, row] = JSON.parse(line) as [number, string, unknown];
      await onRow(page, where, row);
    }
  }

  async dispose(): Promise<void> {
    this.file?.destroy();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
