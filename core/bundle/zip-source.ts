/**
 * A zip read with yauzl, lazily: one central-directory entry at a time, entry data streamed and inflated on
 * demand, nothing extracted. Names are decoded here (not by yauzl, which refuses `\`, drive letters and `..`
 * outright) so that Windows-made bundles work and crafted names are only noted.
 */
import { open as fsOpen } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import * as yauzl from 'yauzl';
import { InputError } from '../text-input';
import { normaliseEntryPath } from './paths';
import { SourceDamaged, type BundleEntry, type BundleSource } from './source';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

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

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false, strictFileNames: false }, (err, zip) => {
      if (err || !zip) reject(err ?? new Error('no zip'));
      else resolve(zip);
    });
  });
}

function entryName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  try {
    return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
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

/** Inflated bytes come in large chunks and run ahead of the parser, so inflating overlaps parsing. */
const INFLATE_CHUNK = 512 * 1024;
const READ_AHEAD = 4 * 1024 * 1024;

/**
 * The entry's data. Deflate is done here rather than by yauzl for bigger chunks and read-ahead; the size
 * check yauzl would do (no more bytes than declared) is done by the reader's cap.
 */
function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    const options = { decodeFileData: false } as unknown as yauzl.ZipFileOptions;
    zip.openReadStream(entry, options, (err, raw) => {
      if (err || !raw) return reject(new Error(err?.message ?? 'no data'));
      if (entry.compressionMethod === 0) return resolve(raw);
      const inflate = createInflateRaw({ chunkSize: INFLATE_CHUNK, readableHighWaterMark: READ_AHEAD } as object);
      resolve(pipeline(raw, inflate, () => undefined) as unknown as Readable);
    });
  });
}

export class ZipSource implements BundleSource {
  readonly kind = 'bundle' as const;
  entryCount?: number;
  private zip?: yauzl.ZipFile;

  private constructor(readonly name: string) {}

  /** Opens the zip; an InputError names the input when it is not a readable zip. */
  static async open(path: string): Promise<ZipSource> {
    const src = new ZipSource(path);
    try {
      src.zip = await openZip(path);
    } catch (err) {
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
      const rawName = entryName(e);
      const norm = normaliseEntryPath(rawName);
      yield {
        path: norm.path,
        rawName,
        size: e.uncompressedSize,
        compressedSize: e.compressedSize,
        type: typeOf(e, rawName.replace(/\\/g, '/')),
        escapes: norm.escapes,
        open: () => openEntry(zip, e),
      };
    }
  }

  close(): void {
    try {
      this.zip?.close();
    } catch {
      // already closed
    }
  }
}
