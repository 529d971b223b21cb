/**
 * Is a file an Azure Resource Graph export? By content, never by name: the head of the file (64 KiB) is an object
 * whose first key is one of the export wrappers' (`count`, `data`, `totalRecords`, `Data`, `SkipToken`, ...), or an
 * array of Arc machine rows: two machines, or a machine and an extension (a one-machine array or an extension list
 * stays the single-machine parsers'). Standard input is sniffed alike (sniffFleetStream) and put back as it was.
 */
import { open } from 'node:fs/promises';

const HEAD_BYTES = 64 * 1024;
const WRAPPER_FIRST_KEY = /^\{\s*"(?:count|data|skip_token|total_records|totalRecords|\$skipToken|resultTruncated|facets|Data|SkipToken)"\s*:/i;
const ROW_TYPE = /"type"\s*:\s*"microsoft\.hybridcompute\/machines(\/extensions)?"/gi;

function decodeHead(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Decides from the head's text (exported for tests). */
export function looksLikeFleetExport(head: string): boolean {
  const text = head.trimStart();
  if (text.includes('"wacDoctorSnapshot"')) return false;
  if (text.startsWith('{')) return WRAPPER_FIRST_KEY.test(text);
  if (!text.startsWith('[')) return false;
  // At least one machine row, and a second machine or an extension row: an `az connectedmachine extension list`
  // (extension rows only) and a one-machine list stay the single-machine parsers'.
  let machines = 0;
  let extensions = false;
  for (const m of text.matchAll(ROW_TYPE)) {
    if (m[1]) extensions = true;
    else machines++;
    if (machines >= 2 || (machines >= 1 && extensions)) return true;
  }
  return false;
}

export async function sniffFleetExport(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
      return looksLikeFleetExport(decodeHead(buf.subarray(0, bytesRead)));
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}

type Peekable = NodeJS.ReadableStream & { unshift(chunk: Buffer): void; read(size?: number): Buffer | string | null };

/**
 * Is standard input an export? Its head (64 KiB, or all of it when shorter) is read and put back (unshift), so the
 * stream is whole for whoever reads it next: the fleet pages, or the pasted text. Waits for that head or the end.
 */
export function sniffFleetStream(stream: NodeJS.ReadableStream): Promise<boolean> {
  const s = stream as Peekable;
  return new Promise((resolve) => {
    const finish = (head: Buffer | undefined): void => {
      s.removeListener('readable', onReadable);
      s.removeListener('error', onError);
      s.removeListener('end', onEnd);
      // Put back synchronously, before the stream could emit 'end' (it then waits for these bytes to be read).
      if (head && head.length > 0) s.unshift(head);
      resolve(head !== undefined && looksLikeFleetExport(decodeHead(head)));
    };
    // read(n) answers n bytes, or what is left once the stream has ended: the head, whatever the chunking.
    const onReadable = (): void => {
      const got = s.read(HEAD_BYTES);
      if (got === null) return;
      finish(typeof got === 'string' ? Buffer.from(got, 'utf8') : got);
    };
    const onError = (): void => finish(undefined);
    // Nothing at all on the stream: read() never answered.
    const onEnd = (): void => finish(undefined);
    s.on('readable', onReadable);
    s.once('error', onError);
    s.once('end', onEnd);
  });
}
