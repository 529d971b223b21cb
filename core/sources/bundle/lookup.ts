/**
 * One entry of a zipped bundle by the path evidence names, for the editor's read-only documents. It is the
 * entry the bundle reader analyzed for that path: the first file entry with that name (case-insensitively;
 * later ones are duplicates the reader sets aside), opened through the same checks (local header, declared
 * size). So a bundle with two `himds.log` entries shows in the editor the one its findings quote.
 */
import { readWhole } from './read-entry';
import { SnapshotDocSource } from './snapshot-doc';
import type { BundleSource } from './source';
import { isZipMagic, readMagic, ZipSource } from './zip-source';

export interface FoundEntry {
  bytes: Buffer;
  /** Local header offset: which entry it was. */
  offset?: number;
  /** Cut at its declared size, or shorter than declared. */
  sizeProblem?: string;
}

export class EntryNotFound extends Error {
  override name = 'EntryNotFound';
}

/** The entry's bytes (at most `cap`); EntryNotFound when no readable file entry has that path. */
export async function readBundleEntryBytes(bundlePath: string, entryPath: string, cap: number): Promise<FoundEntry> {
  // A -AsJson snapshot document has the same entries (read from memory); anything else opens as a zip.
  const source: BundleSource = (!isZipMagic(await readMagic(bundlePath)) && await SnapshotDocSource.open(bundlePath)) || await ZipSource.open(bundlePath);
  const key = entryPath.toLowerCase();
  try {
    for await (const entry of source.entries()) {
      // The reader's rule: only file entries take a name (an encrypted or symlink entry of that name does not).
      if (entry.type !== 'file' || entry.path.toLowerCase() !== key) continue;
      const opened = await entry.open();
      const bytes = await readWhole(opened.stream, cap);
      const problem = opened.sizeProblem();
      return { bytes, ...(entry.offset !== undefined ? { offset: entry.offset } : {}), ...(problem ? { sizeProblem: problem } : {}) };
    }
  } finally {
    source.close();
  }
  throw new EntryNotFound(`${entryPath}: not in ${bundlePath}`);
}
