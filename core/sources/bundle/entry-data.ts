/**
 * A zip entry's data as a stream, inflated and held to its declared size: what ZipSource gives for an opened entry
 * and what a log worker reads on its own (the same checks either way, only the bytes' origin differs).
 */
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { formatBytes } from './limits';

/** Inflated bytes come in large chunks and run ahead of the parser, so inflating overlaps parsing. */
const INFLATE_CHUNK = 512 * 1024;
const READ_AHEAD = 4 * 1024 * 1024;
const clamp = (n: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, n));

/** Where an entry's data is, as its local header says (method 0 stored, 8 deflated). */
export interface EntryLocation {
  dataStart: number;
  compressedSize: number;
  method: number;
  /** Declared uncompressed size. */
  declared: number;
}

export interface EntryData {
  stream: Readable;
  /** Once the stream has ended: how the bytes differed from the declared size. */
  sizeProblem: () => string | undefined;
}

/** `raw` (the compressed bytes) inflated when the method says so, and held to the declared size. */
export function entryData(raw: Readable, method: number, declared: number, onBytes?: (n: number) => void): EntryData {
  let data: Readable = raw;
  if (method === 8) {
    // Chunks no bigger than the entry needs: a 100-byte entry that inflates to 8 MiB costs at most one small chunk.
    const chunkSize = clamp(declared + 1, 16 * 1024, INFLATE_CHUNK);
    const inflate = createInflateRaw({ chunkSize, readableHighWaterMark: clamp(declared + 1, chunkSize, READ_AHEAD) } as object);
    raw.on('error', (err) => inflate.destroy(err));
    data = raw.pipe(inflate);
  }
  const guard = { problem: undefined as string | undefined };
  return { stream: guardSize(data, raw, declared, guard, onBytes), sizeProblem: () => guard.problem };
}

/** An entry's data read from the zip file itself (a log worker's own read: the main thread located it). */
export function entryDataFromFile(zipPath: string, at: EntryLocation): EntryData {
  const raw = at.compressedSize === 0
    ? Readable.from([])
    : createReadStream(zipPath, { start: at.dataStart, end: at.dataStart + at.compressedSize - 1, highWaterMark: 1024 * 1024 });
  return entryData(raw, at.method, at.declared);
}

/**
 * No more than `declared` bytes come out (the rest is cut, and said), and fewer are said too. A Transform piped from
 * the data: a pipe keeps inflate reading ahead while the log is parsed (an async generator in between only pulls on
 * demand, and the cores sit idle).
 */
function guardSize(data: Readable, raw: Readable, declared: number, guard: { problem?: string | undefined }, onBytes?: (n: number) => void): Readable {
  let seen = 0;
  let done = false;
  const out = new Transform({
    readableHighWaterMark: 1024 * 1024,
    transform(chunk: Buffer, _enc, cb) {
      if (done) return cb();
      onBytes?.(chunk.length);
      const room = declared - seen;
      seen += chunk.length;
      if (chunk.length > room) {
        guard.problem = `larger than declared (${formatBytes(declared)}); cut there`;
        done = true;
        if (room > 0) this.push(chunk.subarray(0, room));
        this.push(null);
        data.unpipe(out);
        data.destroy();
        raw.destroy();
        return cb();
      }
      cb(null, chunk);
    },
    flush(cb) {
      if (!done && seen < declared) guard.problem = `smaller than declared (${formatBytes(seen)} of ${formatBytes(declared)})`;
      cb();
    },
  });
  data.on('error', (err) => out.destroy(err));
  out.on('close', () => { data.destroy(); raw.destroy(); });
  return data.pipe(out);
}
