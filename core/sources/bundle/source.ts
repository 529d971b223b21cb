/** The common shape of a bundle input (a zip or an extracted folder): a lazy list of entries to stream. */
import type { Readable } from 'node:stream';
import type { EntryLocation } from './entry-data';

export interface BundleEntry {
  /** Normalised path (see paths.ts). */
  path: string;
  /** The name as stored, for messages. */
  rawName: string;
  /** Declared uncompressed size. */
  size: number;
  /** Compressed size (zips). */
  compressedSize?: number;
  /** Offset of the local header (zips): which entry this is when names repeat. */
  offset?: number;
  /**
   * `special`: a FIFO, socket or device in a folder (never opened: a FIFO would block); `unreadable`: a folder
   * entry that could not be listed or examined (`reason` says why).
   */
  type: 'file' | 'directory' | 'symlink' | 'encrypted' | 'unsupported' | 'special' | 'unreadable';
  /** Why an `unreadable` entry is so (an errno code such as EACCES). */
  reason?: string;
  /** The name had `..` segments (zip slip). */
  escapes: boolean;
  /** Streams the entry's bytes. Rejects with EntryRefused or EntryUnreadable, or a readable message when damaged. */
  open(): Promise<OpenedEntry>;
  /**
   * Zips: where the entry's data is in the file (checked and claimed as open() does, instead of it), for a log worker
   * to read it itself. Rejects as open() does.
   */
  locate?(): Promise<EntryLocation & { localName?: string }>;
}

export interface OpenedEntry {
  /** The bytes, never more than the entry declares. */
  stream: Readable;
  /** Once the stream has ended: how the bytes differed from the declared size, e.g. "larger than declared (100 bytes)". */
  sizeProblem: () => string | undefined;
  /** The local header's name, when it differs from the central directory's. */
  localName?: string;
}

export interface BundleSource {
  readonly kind: 'bundle' | 'folder';
  /** The input path as given. */
  readonly name: string;
  /** Total entries when known up front (a zip's central directory says). */
  readonly entryCount?: number;
  /** Entries one at a time; throws SourceDamaged when the listing itself breaks. */
  entries(): AsyncGenerator<BundleEntry>;
  close(): void;
}

/** The listing broke partway (damaged central directory): entries before were fine. */
export class SourceDamaged extends Error {
  override name = 'SourceDamaged';
}

/** An entry refused before any byte of it was inflated; `reason` is the note's heading (the class of refusal). */
export class EntryRefused extends Error {
  override name = 'EntryRefused';
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

/** The entry exists but could not be opened (a folder file with EACCES, say): not damage. */
export class EntryUnreadable extends Error {
  override name = 'EntryUnreadable';
}
