/**
 * Is a file an Azure Resource Graph export? By content, never by name: the head of the file (64 KiB) is an object
 * whose first key is one of the export wrappers' (`count`, `data`, `totalRecords`, `Data`, `SkipToken`, ...), or an
 * array of Arc machine rows: two machines, or a machine and an extension (a one-machine array or an extension list
 * stays the single-machine parsers').
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
