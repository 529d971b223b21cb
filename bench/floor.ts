/**
 * The Node floor for bundle analysis, run as its own process by the bundle bench (`node floor.js <zip> [--stage s]
 * [--reader r]`): what any Node tool must do to look at every line of a bundle, and nothing more. Prints
 * `{"entries":n,"bytes":n,"hits":n}` (files, inflated bytes, candidate matches). The tool's time divided by this
 * is the number to push toward 1.
 *
 * Reader `direct` (the default, the floor): the zip's central directory is read once, then each entry's data with
 * 1 MiB fs reads fed to zlib's inflateRaw in 1 MiB chunks (reads and inflate overlap on libuv's threads), as
 * `unzip -p` does in C. Reader `yauzl`: yauzl's entry streams, as the tool reads zips (yauzl's small reads and
 * stream machinery cost about 2x the direct reader on the bench bundle: that share is the reader's, not the
 * analysis's).
 * Stages, each adding to the one before: `inflate` (bytes only), `decode` (UTF-8 to strings), `scan` (the default:
 * blocks of complete lines, one candidate regex over each block, a union of short literals as the tool's
 * grammars use).
 */
import { once } from 'node:events';
import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import * as yauzl from 'yauzl';

const MiB = 1024 * 1024;
const CANDIDATES = /level=[wefp]|\[ERROR\]|\[WARN|Error {2}|Warning {2}/g;

export type Stage = 'inflate' | 'decode' | 'scan';
export type Reader = 'direct' | 'yauzl';
export interface FloorCounts { entries: number; bytes: number; hits: number }

/** What one stage does with an entry's inflated bytes: count them, decode them, and scan whole lines. */
class Sink {
  bytes = 0;
  hits = 0;
  private decoder = new StringDecoder('utf8');
  private carry = '';
  constructor(private readonly stage: Stage) {}

  write(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.stage === 'inflate') return;
    let text = this.decoder.write(chunk);
    if (this.stage === 'decode') return;
    if (this.carry) {
      // Only the carried line is joined, never the chunk (as the tool's block splitter does).
      const nl = text.indexOf('\n');
      if (nl < 0) {
        this.carry += text;
        return;
      }
      this.scan(this.carry + text.slice(0, nl + 1));
      text = text.slice(nl + 1);
    }
    const last = text.lastIndexOf('\n');
    this.carry = text.slice(last + 1);
    if (last >= 0) this.scan(text.slice(0, last + 1));
  }

  /** The end of an entry: the decoder's and splitter's leftovers. */
  end(): void {
    if (this.stage === 'inflate') return;
    const rest = this.decoder.end();
    this.decoder = new StringDecoder('utf8');
    if (this.stage === 'scan') this.scan(this.carry + rest);
    this.carry = '';
  }

  private scan(block: string): void {
    CANDIDATES.lastIndex = 0;
    while (CANDIDATES.exec(block)) this.hits++;
  }
}

// ---- direct reader: central directory, then 1 MiB reads into inflateRaw ----

interface CdEntry { name: string; method: number; compressedSize: number; localOffset: number }

class ZipFormatError extends Error {}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) throw new ZipFormatError(`unexpected end of file at byte ${position + got}`);
    got += bytesRead;
  }
  return buf;
}

/** The central directory's file entries (ZIP64 sizes and offsets included). */
async function centralDirectory(fh: FileHandle, size: number): Promise<CdEntry[]> {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(fh, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('no end of central directory record (not a zip, or truncated)');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locatorAt = size - tailLength + eocd - 20;
    const locator = await readAt(fh, locatorAt, 20);
    if (locator.readUInt32LE(0) !== 0x07064b50) throw new ZipFormatError('ZIP64 end of central directory locator missing');
    const record = await readAt(fh, Number(locator.readBigUInt64LE(8)), 56);
    if (record.readUInt32LE(0) !== 0x06064b50) throw new ZipFormatError('ZIP64 end of central directory record missing');
    count = Number(record.readBigUInt64LE(32));
    cdSize = Number(record.readBigUInt64LE(40));
    cdOffset = Number(record.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > size) throw new ZipFormatError('central directory past the end of the file');
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: CdEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new ZipFormatError(`central directory entry ${i} is damaged`);
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    const uncompressedMax = cd.readUInt32LE(p + 24) === 0xffffffff;
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    let localOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
    if (compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      // The ZIP64 extra field holds, in order, the values whose 32-bit fields are all ones.
      for (let x = p + 46 + nameLength; x + 4 <= p + 46 + nameLength + extraLength;) {
        const id = cd.readUInt16LE(x);
        const len = cd.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let v = x + 4;
          if (uncompressedMax) v += 8;
          if (compressedSize === 0xffffffff) { compressedSize = Number(cd.readBigUInt64LE(v)); v += 8; }
          if (localOffset === 0xffffffff) localOffset = Number(cd.readBigUInt64LE(v));
        }
        x += 4 + len;
      }
    }
    if (!name.endsWith('/')) entries.push({ name, method, compressedSize, localOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** One entry's data: 1 MiB reads, inflated in 1 MiB chunks (stored entries pass through). */
async function readEntry(fh: FileHandle, e: CdEntry, sink: Sink): Promise<void> {
  const local = await readAt(fh, e.localOffset, 30);
  if (local.readUInt32LE(0) !== 0x04034b50) throw new ZipFormatError(`${e.name}: local header missing`);
  let position = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  let left = e.compressedSize;
  if (e.method === 0) {
    while (left > 0) {
      const chunk = await readAt(fh, position, Math.min(MiB, left));
      position += chunk.length;
      left -= chunk.length;
      sink.write(chunk);
    }
    sink.end();
    return;
  }
  if (e.method !== 8) throw new ZipFormatError(`${e.name}: compression method ${e.method} is not deflate`);
  const inflater = createInflateRaw({ chunkSize: MiB });
  inflater.on('data', (chunk: Buffer) => sink.write(chunk));
  const ended = once(inflater, 'end');
  while (left > 0) {
    const chunk = await readAt(fh, position, Math.min(MiB, left));
    position += chunk.length;
    left -= chunk.length;
    if (!inflater.write(chunk)) await once(inflater, 'drain');
  }
  inflater.end();
  await ended;
  sink.end();
}

async function floorDirect(path: string, stage: Stage): Promise<FloorCounts> {
  const fh = await open(path, 'r');
  try {
    const entries = await centralDirectory(fh, (await fh.stat()).size);
    const sink = new Sink(stage);
    for (const e of entries) await readEntry(fh, e, sink);
    return { entries: entries.length, bytes: sink.bytes, hits: sink.hits };
  } finally {
    await fh.close();
  }
}

// ---- yauzl reader: the tool's zip library ----

function floorYauzl(path: string, stage: Stage): Promise<FloorCounts> {
  const sink = new Sink(stage);
  let entries = 0;
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        entries++;
        zip.openReadStream(entry, (err2, stream) => {
          if (err2 || !stream) return reject(err2 ?? new Error('no stream'));
          stream.on('data', (chunk: Buffer) => sink.write(chunk));
          stream.on('end', () => {
            sink.end();
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve({ entries, bytes: sink.bytes, hits: sink.hits }));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

export function runFloor(path: string, options: { stage?: Stage; reader?: Reader } = {}): Promise<FloorCounts> {
  const stage = options.stage ?? 'scan';
  return (options.reader ?? 'direct') === 'direct' ? floorDirect(path, stage) : floorYauzl(path, stage);
}

const STAGES: readonly string[] = ['inflate', 'decode', 'scan'];
const READERS: readonly string[] = ['direct', 'yauzl'];

/** `floor <zip> [--stage inflate|decode|scan] [--reader direct|yauzl]`. */
export function parseFloorArgs(argv: readonly string[]): { path: string; stage: Stage; reader: Reader } {
  let path: string | undefined;
  let stage: Stage = 'scan';
  let reader: Reader = 'direct';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--stage' || a === '--reader') {
      const v = argv[++i] ?? '';
      const allowed = a === '--stage' ? STAGES : READERS;
      if (!allowed.includes(v)) throw new Error(`${a} ${JSON.stringify(v)}: expected ${allowed.join(', ')}`);
      if (a === '--stage') stage = v as Stage;
      else reader = v as Reader;
    } else if (path === undefined && !a.startsWith('--')) {
      path = a;
    } else {
      throw new Error(`unexpected argument ${JSON.stringify(a)}; usage: floor <zip> [--stage inflate|decode|scan] [--reader direct|yauzl]`);
    }
  }
  if (path === undefined) throw new Error('usage: floor <zip> [--stage inflate|decode|scan] [--reader direct|yauzl]');
  return { path, stage, reader };
}

if (require.main === module) {
  Promise.resolve()
    .then(() => {
      const { path, stage, reader } = parseFloorArgs(process.argv.slice(2));
      return runFloor(path, { stage, reader });
    })
    .then(
      (counts) => process.stdout.write(`${JSON.stringify(counts)}\n`),
      (err: Error) => {
        process.stderr.write(`floor failed: ${err.message.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')}\n`);
        process.exitCode = 2;
      },
    );
}
