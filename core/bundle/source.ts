/** The common shape of a bundle input (a zip or an extracted folder): a lazy list of entries to stream. */
import type { Readable } from 'node:stream';

export interface BundleEntry {
  /** Normalised path (see paths.ts). */
  path: string;
  /** The name as stored, for messages. */
  rawName: string;
  /** Declared uncompressed size. */
  size: number;
  /** Compressed size (zips). */
  compressedSize?: number;
  type: 'file' | 'directory' | 'symlink' | 'encrypted' | 'unsupported';
  /** The name had `..` segments (zip slip). */
  escapes: boolean;
  /** Streams the entry's bytes. Rejects with a readable message when the entry is damaged. */
  open(): Promise<Readable>;
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
