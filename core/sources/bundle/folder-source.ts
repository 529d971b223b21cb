/**
 * An extracted bundle folder: walked depth-first in sorted order (deterministic reports), symlinks not
 * followed (noted), depth capped. Paths are relative to the folder, with `/`. Nothing is skipped silently:
 * a FIFO, socket or device is an entry of type `special` (never opened: opening a FIFO blocks), and a
 * folder or file that cannot be listed or examined is `unreadable` with the reason.
 */
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { EntryUnreadable, SourceDamaged, type BundleEntry, type BundleSource, type OpenedEntry } from './source';

const errCode = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

async function openFile(full: string): Promise<OpenedEntry> {
  let handle;
  try {
    // Opened here, not lazily by the stream, so EACCES is "unreadable" rather than damage found mid-read.
    handle = await open(full, 'r');
  } catch (err) {
    throw new EntryUnreadable(`cannot be read (${errCode(err)})`);
  }
  const stream = handle.createReadStream({ highWaterMark: 256 * 1024 }) as Readable;
  return { stream, sizeProblem: () => undefined };
}

export class FolderSource implements BundleSource {
  readonly kind = 'folder' as const;

  constructor(readonly name: string, private readonly maxDepth: number) {}

  async *entries(): AsyncGenerator<BundleEntry> {
    yield* this.walk(this.name, '', 0);
  }

  private async *walk(dir: string, rel: string, depth: number): AsyncGenerator<BundleEntry> {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch (err) {
      if (depth === 0) throw new SourceDamaged(`the folder could not be listed (${errCode(err)})`);
      yield unreadable(rel, `the folder could not be listed (${errCode(err)})`);
      return;
    }
    for (const name of names) {
      const full = join(dir, name);
      const path = rel ? `${rel}/${name}` : name;
      let info;
      try {
        info = await lstat(full);
      } catch (err) {
        yield unreadable(path, `could not be examined (${errCode(err)})`);
        continue;
      }
      const base = { path, rawName: path, escapes: false };
      if (info.isSymbolicLink()) {
        yield { ...base, size: 0, type: 'symlink', open: () => Promise.reject(new Error('symbolic link not followed')) };
      } else if (info.isDirectory()) {
        if (depth + 1 > this.maxDepth) {
          yield { ...base, size: 0, type: 'unsupported', open: () => Promise.reject(new Error('folder nested too deep')) };
          continue;
        }
        yield* this.walk(full, path, depth + 1);
      } else if (info.isFile()) {
        yield { ...base, size: info.size, type: 'file', open: () => openFile(full) };
      } else {
        yield { ...base, size: 0, type: 'special', open: () => Promise.reject(new Error('not a regular file')) };
      }
    }
  }

  close(): void {
    // nothing held open between entries
  }
}

function unreadable(path: string, reason: string): BundleEntry {
  return { path, rawName: path, escapes: false, size: 0, type: 'unreadable', reason, open: () => Promise.reject(new EntryUnreadable(reason)) };
}
