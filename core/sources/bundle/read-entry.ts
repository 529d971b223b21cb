/** Reading one entry's bytes under caps: whole (small files) or streamed chunk by chunk (logs). */
import type { Readable } from 'node:stream';
import { formatBytes } from './limits';

export class EntryTooLarge extends Error {
  override name = 'EntryTooLarge';
}

/** The whole entry, refusing more than `cap` bytes (the stream is destroyed as soon as it exceeds it). */
export async function readWhole(stream: Readable, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const size = await streamChunks(stream, cap, (buf) => {
    chunks.push(buf);
    return true;
  });
  return Buffer.concat(chunks, size);
}

/**
 * Feeds the entry to `onChunk` until it ends, `onChunk` returns false (stop early), or more than `cap` bytes
 * came (EntryTooLarge). Returns the bytes read.
 */
export async function streamChunks(stream: Readable, cap: number, onChunk: (buf: Buffer) => boolean): Promise<number> {
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > cap) throw new EntryTooLarge(`more than ${formatBytes(cap)}`);
      if (!onChunk(buf)) break;
    }
  } finally {
    stream.destroy();
  }
  return size;
}
