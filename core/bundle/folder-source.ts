/**
 * An extracted bundle folder: walked depth-first in sorted order (deterministic reports), symlinks not
 * followed (noted), depth capped. Paths are relative to the folder, with `/`.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SourceDamaged, type BundleEntry, type BundleSource } from './source';

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
      if (depth === 0) throw new SourceDamaged(`the folder could not be listed (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      return;
    }
    for (const name of names) {
      const full = join(dir, name);
      const path = rel ? `${rel}/${name}` : name;
      let info;
      try {
        info = await lstat(full);
      } catch {
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
        yield { ...base, size: info.size, type: 'file', open: () => Promise.resolve(createReadStream(full, { highWaterMark: 256 * 1024 }) as Readable) };
      }
    }
  }

  close(): void {
    // nothing held open between entries
  }
}
