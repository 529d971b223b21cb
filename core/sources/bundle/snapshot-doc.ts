/**
 * The snapshot as one JSON document (`wac-doctor-collect.ps1 -AsJson`, for Azure Arc Run Command, whose output is
 * text): `{"wacDoctorSnapshot": 1, "manifest": {...}, "entries": {"<entry>": "<text>"}}`, bare or as the
 * `instanceView.output` string of `az connectedmachine run-command show` (also under `properties.`). Recognized by
 * content, never by name. Its entries go through the bundle reader exactly as a snapshot zip's do (this is just
 * another BundleSource), so the findings are the zip's.
 */
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { SNAPSHOT_DOC, SNAPSHOT_ENTRIES } from '../live/collector-spec';
import { decodeText, InputError, MAX_TEXT_BYTES } from '../../text/text-input';
import { normaliseEntryPath } from './paths';
import type { BundleEntry, BundleSource } from './source';

export const EXPECTED_DOC = 'expected the output of wac-doctor-collect.ps1 -AsJson (or az connectedmachine run-command show of it)';

/** Bytes looked at to decide whether a file may be a document: its first non-blank character must be `{`. */
const HEAD_BYTES = 4096;

export interface SnapshotDoc {
  manifest: Record<string, unknown>;
  /** In document order; the manifest is not among them. */
  entries: Array<[name: string, text: string]>;
}

function firstNonBlank(text: string): string | undefined {
  for (const ch of text) {
    if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r' && ch !== '\uFEFF') return ch;
  }
  return undefined;
}

/** The file's text when it is a JSON object naming `wacDoctorSnapshot` (bare or wrapped); undefined otherwise. */
export async function sniffSnapshotDoc(path: string): Promise<string | undefined> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return undefined;
    size = info.size;
  } catch {
    return undefined;
  }
  if (size < 2 || size > MAX_TEXT_BYTES) return undefined;
  let buf: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      let headText: string;
      try {
        headText = decodeText(head.subarray(0, bytesRead), path);
      } catch {
        return undefined;
      }
      if (firstNonBlank(headText) !== '{') return undefined;
      buf = Buffer.alloc(size);
      const all = await fh.read(buf, 0, size, 0);
      buf = buf.subarray(0, all.bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
  let text: string;
  try {
    text = decodeText(buf, path);
  } catch {
    return undefined;
  }
  return text.includes(SNAPSHOT_DOC.key) ? text : undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string, name: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const why = (err as Error).message;
    throw new InputError(`${name}: ${what} is not complete JSON (${why}): cut or damaged in transfer; ${EXPECTED_DOC}`);
  }
}

/** The run-command wrapper's output string, when the object is one. */
function wrappedOutput(obj: Record<string, unknown>): unknown {
  for (const holder of [obj, obj.properties]) {
    if (isObject(holder) && isObject(holder.instanceView) && 'output' in holder.instanceView) return holder.instanceView.output;
  }
  return undefined;
}

/** Parses and checks a document (bare or wrapped). Every problem is one InputError naming `name`. */
export function parseSnapshotDoc(text: string, name: string): SnapshotDoc {
  let data = parseJson(text, name, 'the document');
  let where = 'the document';
  if (isObject(data) && !(SNAPSHOT_DOC.key in data)) {
    const output = wrappedOutput(data);
    if (output !== undefined) {
      if (typeof output !== 'string') throw new InputError(`${name}: instanceView.output is not a string; ${EXPECTED_DOC}`);
      if (output.trim() === '') throw new InputError(`${name}: instanceView.output is empty (did the run command finish? its instanceView.error may say why); ${EXPECTED_DOC}`);
      where = 'instanceView.output';
      const out = output.trim();
      if (!out.startsWith('{')) {
        const begins = out.slice(0, 40).replace(/\s+/g, ' ');
        throw new InputError(`${name}: instanceView.output is not a JSON document (it begins "${begins}"): was the script run with -AsJson?; ${EXPECTED_DOC}`);
      }
      data = parseJson(out, name, where);
    }
  }
  if (!isObject(data) || !(SNAPSHOT_DOC.key in data)) throw new InputError(`${name}: ${where} has no "${SNAPSHOT_DOC.key}" field; ${EXPECTED_DOC}`);
  const version = data[SNAPSHOT_DOC.key];
  if (version !== SNAPSHOT_DOC.version) {
    throw new InputError(`${name}: ${SNAPSHOT_DOC.key} ${JSON.stringify(version)} is not a version this wac-doctor reads (${SNAPSHOT_DOC.version}); ${EXPECTED_DOC}`);
  }
  if (!isObject(data.manifest)) throw new InputError(`${name}: "manifest" is missing or not an object; ${EXPECTED_DOC}`);
  if (!isObject(data.entries)) throw new InputError(`${name}: "entries" is missing or not an object of entry name -> text; ${EXPECTED_DOC}`);
  const entries: Array<[string, string]> = [];
  for (const [entry, value] of Object.entries(data.entries)) {
    if (typeof value !== 'string') throw new InputError(`${name}: entry "${entry}" is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not text; ${EXPECTED_DOC}`);
    if (entry.trim() === '') throw new InputError(`${name}: an entry has an empty name; ${EXPECTED_DOC}`);
    entries.push([entry, value]);
  }
  return { manifest: data.manifest, entries };
}

function memoryEntry(rawName: string, bytes: Buffer): BundleEntry {
  const { path, escapes } = normaliseEntryPath(rawName);
  return {
    path, rawName, size: bytes.length, escapes, type: 'file',
    open: () => Promise.resolve({ stream: Readable.from([bytes]), sizeProblem: () => undefined }),
  };
}

/** A parsed document as bundle entries: the manifest (as the zip writes it) first, then the entries in order. */
export class SnapshotDocSource implements BundleSource {
  readonly kind = 'bundle' as const;
  readonly entryCount: number;
  private readonly list: BundleEntry[];

  constructor(readonly name: string, doc: SnapshotDoc) {
    this.list = [
      memoryEntry(SNAPSHOT_ENTRIES.manifest, Buffer.from(`${JSON.stringify(doc.manifest, null, 2)}\n`, 'utf8')),
      ...doc.entries.filter(([n]) => n !== SNAPSHOT_ENTRIES.manifest).map(([n, text]) => memoryEntry(n, Buffer.from(text, 'utf8'))),
    ];
    this.entryCount = this.list.length;
  }

  static async open(path: string): Promise<SnapshotDocSource | undefined> {
    const text = await sniffSnapshotDoc(path);
    if (text === undefined) return undefined;
    return new SnapshotDocSource(path, parseSnapshotDoc(text, path));
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- BundleSource.entries is an AsyncGenerator; this source's entries are already in memory
  async *entries(): AsyncGenerator<BundleEntry> {
    yield* this.list;
  }

  close(): void {
    // nothing held open
  }
}
