/**
 * A zip read with yauzl, lazily: one central-directory entry at a time, entry data streamed and inflated on
 * demand, nothing extracted. Names are decoded here (not by yauzl, which refuses `\`, drive letters and `..`
 * outright) so that Windows-made bundles work and crafted names are only noted.
 *
 * Because the data is inflated here (not by yauzl), yauzl's own size checks never run; this module does them
 * for every entry it opens:
 * - its local header and data must not overlap bytes another opened entry owns (Debian unzip's "overlapped
 *   components" check: 20,000 entries pointing at one 1 MiB file are one file, not 20 GiB);
 * - no more bytes than the entry declares come out (the rest is cut, and said), and fewer are said too;
 * - the local header's name is compared with the central directory's (a mismatch is said).
 */
import { close as fsClose, fstat, open as fsOpenCb, read as fsRead } from 'node:fs';
import { open as fsOpen } from 'node:fs/promises';
import { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { InputError } from '../../text/text-input';
import { entryData, type EntryLocation } from './entry-data';
import { normaliseEntryPath } from './paths';
import { RangeSet } from './ranges';
import { EntryRefused, SourceDamaged, type BundleEntry, type BundleSource, type OpenedEntry } from './source';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export const OVERLAP_REASON = 'Entries whose data overlaps another entry (overlapped components, a zip-bomb pattern), not read';

/** `PK\x03\x04` (local header), `PK\x05\x06` (empty zip), `PK\x07\x08` (spanned marker). */
export function isZipMagic(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6) || (head[2] === 7 && head[3] === 8));
}

export async function readMagic(path: string): Promise<Buffer> {
  const fh = await fsOpen(path, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

const BLOCK = 64 * 1024;
const CACHED_BLOCKS = 4;

/**
 * yauzl's reader with a small block cache. yauzl reads each central-directory record with two tiny reads
 * (46 bytes, then the name); through the thread pool that is two round trips per entry, which made a
 * 100,000-entry listing take seconds of idle waiting. Here consecutive records come from one 64 KiB read.
 */
class CachedFileReader extends yauzl.RandomAccessReader {
  private readonly blocks = new Map<number, Buffer>();
  /** fs reads issued (cache misses and large reads). */
  fileReads = 0;

  constructor(private readonly fd: number) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return new RangeStream(this, start, end);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- yauzl's typings omit bytesRead, which its reader reads from the callback
    const done = callback as (err: Error | null, bytesRead?: number) => void;
    const block = Math.floor(position / BLOCK);
    if (length > BLOCK || Math.floor((position + length - 1) / BLOCK) !== block) {
      this.fileReads++;
      fsRead(this.fd, buffer, offset, length, position, (err, n) => done(err, n));
      return;
    }
    const serve = (data: Buffer): void => {
      const from = position - block * BLOCK;
      const n = Math.max(0, Math.min(length, data.length - from));
      if (n > 0) data.copy(buffer, offset, from, from + n);
      done(null, n);
    };
    const cached = this.blocks.get(block);
    if (cached) {
      serve(cached);
      return;
    }
    const data = Buffer.allocUnsafe(BLOCK);
    this.fileReads++;
    fsRead(this.fd, data, 0, BLOCK, block * BLOCK, (err, n) => {
      if (err) return done(err);
      const got = data.subarray(0, n);
      this.blocks.set(block, got);
      if (this.blocks.size > CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!);
      serve(got);
    });
  }

  override close(callback: (err: Error | null) => void): void {
    fsClose(this.fd, (err) => callback(err ?? null));
  }
}

/**
 * Bytes [start, end) through the cached reader (a small entry's data often sits in the block its header came
 * from). Not fs.ReadStream on the shared fd: that closes the fd when destroyed, even without autoClose.
 */
class RangeStream extends Readable {
  private pos: number;

  constructor(private readonly reader: CachedFileReader, start: number, private readonly end: number) {
    super({ highWaterMark: 256 * 1024 });
    this.pos = start;
  }

  override _read(size: number): void {
    const n = Math.min(Math.max(size, 64 * 1024), this.end - this.pos);
    if (n <= 0) {
      this.push(null);
      return;
    }
    const buf = Buffer.allocUnsafe(n);
    this.reader.read(buf, 0, n, this.pos, ((err: Error | null, got: number) => {
      if (this.destroyed) return;
      if (err) return void this.destroy(err);
      if (got === 0) return void this.destroy(new Error('unexpected end of file'));
      this.pos += got;
      this.push(got < n ? buf.subarray(0, got) : buf);
    }) as (err: Error | null) => void);
  }
}

const OPTIONS: yauzl.Options = { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, autoClose: false, strictFileNames: false };

function openZip(path: string): Promise<{ zip: yauzl.ZipFile; reader: CachedFileReader }> {
  return new Promise((resolve, reject) => {
    fsOpenCb(path, 'r', (err, fd) => {
      if (err) return reject(err);
      fstat(fd, (err2, info) => {
        if (err2) return fsClose(fd, () => reject(err2));
        const reader = new CachedFileReader(fd);
        yauzl.fromRandomAccessReader(reader, info.size, OPTIONS, (err3, zip) => {
          if (err3 || !zip) return fsClose(fd, () => reject(err3 ?? new Error('no zip')));
          resolve({ zip, reader });
        });
      });
    });
  });
}

/** A name as stored: UTF-8 when flagged (or by the Info-ZIP Unicode path field), else CP437. */
function decodeName(flags: number, raw: Buffer, extraFields: Array<{ id: number; data: Buffer }>): string {
  try {
    return yauzl.getFileNameLowLevel(flags, raw, extraFields, false);
  } catch {
    return raw.toString('latin1');
  }
}

function typeOf(entry: yauzl.Entry, name: string): BundleEntry['type'] {
  if (name.endsWith('/')) return 'directory';
  const madeOnUnix = entry.versionMadeBy >> 8 === 3;
  if (madeOnUnix && ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) return 'symlink';
  if (entry.isEncrypted()) return 'encrypted';
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return 'unsupported';
  return 'file';
}

/** What the source did, for tests and figures: entries whose data was read, bytes that came out of them, fs reads. */
export interface ZipStats {
  opened: number;
  inflatedBytes: number;
  fileReads: number;
}

export class ZipSource implements BundleSource {
  readonly kind = 'bundle' as const;
  entryCount?: number;
  private readonly counts = { opened: 0, inflatedBytes: 0 };
  private zip?: yauzl.ZipFile;
  private reader?: CachedFileReader;
  private readonly claimed = new RangeSet();

  private constructor(readonly name: string) {}

  /** Opens the zip; an InputError names the input when it is not a readable zip. */
  static async open(path: string): Promise<ZipSource> {
    const src = new ZipSource(path);
    try {
      ({ zip: src.zip, reader: src.reader } = await openZip(path));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code) throw new InputError(`${path}: cannot be read (${code}); expected an azcmagent logs zip or an extracted folder`);
      const why = (err as Error).message.replace(/\.$/, '');
      throw new InputError(`${path}: not a readable zip (${why}); expected an azcmagent logs zip or an extracted folder`);
    }
    // yauzl can also emit 'error' between reads (closing the file); never let that be an uncaught event.
    src.zip.on('error', () => undefined);
    src.entryCount = src.zip.entryCount;
    return src;
  }

  async *entries(): AsyncGenerator<BundleEntry> {
    const zip = this.zip!;
    let read = 0;
    for (;;) {
      let entry: yauzl.Entry | null;
      try {
        entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
          const onEntry = (e: yauzl.Entry): void => { cleanup(); resolve(e); };
          const onEnd = (): void => { cleanup(); resolve(null); };
          const onError = (e: Error): void => { cleanup(); reject(e); };
          const cleanup = (): void => {
            zip.removeListener('entry', onEntry);
            zip.removeListener('end', onEnd);
            zip.removeListener('error', onError);
          };
          zip.once('entry', onEntry);
          zip.once('end', onEnd);
          zip.once('error', onError);
          zip.readEntry();
        });
      } catch (err) {
        throw new SourceDamaged(`the zip's entry list is damaged after ${read} entries (${(err as Error).message})`);
      }
      if (!entry) return;
      read++;
      const e = entry;
      const rawName = decodeName(e.generalPurposeBitFlag, e.fileName as unknown as Buffer, e.extraFields);
      const norm = normaliseEntryPath(rawName);
      yield {
        path: norm.path,
        rawName,
        size: e.uncompressedSize,
        compressedSize: e.compressedSize,
        offset: e.relativeOffsetOfLocalHeader,
        type: typeOf(e, rawName.replace(/\\/g, '/')),
        escapes: norm.escapes,
        open: () => this.openEntry(e, norm.path),
        locate: () => this.locateEntry(e, norm.path),
      };
    }
  }

  /**
   * Where the entry's data is, checked against its local header and the bytes other entries own (claimed here: an
   * entry is located once). `localName`: the local header's name when it differs from the central directory's.
   */
  private async locateEntry(entry: yauzl.Entry, path: string): Promise<EntryLocation & { localName?: string }> {
    const zip = this.zip!;
    const header = await new Promise<yauzl.LocalFileHeader>((resolve, reject) => {
      zip.readLocalFileHeader(entry, {}, (err, h) => (err || !h ? reject(new Error(err?.message ?? 'no local header')) : resolve(h)));
    });
    const start = entry.relativeOffsetOfLocalHeader;
    if (!this.claimed.claim(start, header.fileDataStart + entry.compressedSize)) {
      throw new EntryRefused(OVERLAP_REASON, `${path}: its bytes overlap another entry's (overlapped components, possible zip bomb); not read`);
    }
    const centralRaw = entry.fileName as unknown as Buffer;
    const at: EntryLocation & { localName?: string } = { dataStart: header.fileDataStart, compressedSize: entry.compressedSize, method: entry.compressionMethod, declared: entry.uncompressedSize };
    if (!centralRaw.equals(header.fileName)) {
      const local = decodeName(header.generalPurposeBitFlag, header.fileName, []);
      if (normaliseEntryPath(local).path !== normaliseEntryPath(decodeName(entry.generalPurposeBitFlag, centralRaw, [])).path) at.localName = local;
    }
    this.counts.opened++;
    return at;
  }

  /** The entry's data, checked against its local header, the bytes other entries own, and its declared size. */
  private async openEntry(entry: yauzl.Entry, path: string): Promise<OpenedEntry> {
    const at = await this.locateEntry(entry, path);
    const raw = await new Promise<Readable>((resolve, reject) => {
      this.zip!.openReadStreamLowLevel(at.dataStart, at.compressedSize, 0, at.compressedSize, false, null, (err, s) => (err || !s ? reject(new Error(err?.message ?? 'no data')) : resolve(s)));
    });
    const data = entryData(raw, at.method, at.declared, (n) => { this.counts.inflatedBytes += n; });
    return { stream: data.stream, sizeProblem: data.sizeProblem, ...(at.localName !== undefined ? { localName: at.localName } : {}) };
  }

  get stats(): ZipStats {
    return { ...this.counts, fileReads: this.reader?.fileReads ?? 0 };
  }

  close(): void {
    try {
      this.zip?.close();
    } catch {
      // already closed
    }
  }
}
