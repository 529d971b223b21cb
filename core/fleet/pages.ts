/**
 * One Azure Resource Graph export page, streamed: the rows come out one at a time, the file is never held whole
 * (stream-json's tokenizer over chunks of the file; each row assembled alone). Shapes, by content:
 * - `az graph query -o json`: `{"count": n, "data": [...], "skip_token": "..." | null, "total_records": n}`;
 * - the REST response (`az rest`, Invoke-AzRestMethod): `{"totalRecords": n, "count": n, "resultTruncated": ..., "$skipToken": "...", "data": [...]}`;
 * - Search-AzGraph: its response object as ConvertTo-Json writes it (`{"Data": [...], "SkipToken": "..."}`), or the
 *   rows alone as an array (`Search-AzGraph ... | ConvertTo-Json`, `az connectedmachine list -o json`).
 * UTF-8 (with or without BOM) or UTF-16 with a BOM, as PowerShell writes files; from a file or a stream (stdin).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- stream-json is an ES module, which Node 20 loads here only through require */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type * as SjParser from 'stream-json/parser.js' with { 'resolution-mode': 'import' };
import type * as SjAssembler from 'stream-json/assembler.js' with { 'resolution-mode': 'import' };

// stream-json is an ES module; Node 20 loads it with require (no top-level await in it).
const { jsonParser } = require('stream-json/parser.js') as typeof SjParser;
const { Assembler } = require('stream-json/assembler.js') as typeof SjAssembler;

export type PageShape = 'az-graph-query' | 'rest' | 'search-azgraph' | 'array';

export const SHAPE_LABELS: Record<PageShape, string> = {
  'az-graph-query': 'az graph query -o json',
  rest: 'Resource Graph REST response',
  'search-azgraph': 'Search-AzGraph (Data, SkipToken)',
  array: 'rows as a JSON array (Search-AzGraph | ConvertTo-Json)',
};

export interface PageResult {
  path: string;
  shape?: PageShape;
  /** Rows handed to onRow (complete ones; a page cut short has those before the cut). */
  rows: number;
  /** The page's skip token: more pages follow it. */
  skipToken?: string;
  /** `total_records` / `totalRecords`: rows of the whole query, when the page says. */
  totalRecords?: number;
  /** Why the page could not be read (whole or from some point): one line naming the file. */
  error?: string;
}

/** The row's path in the page, for messages and evidence: `data[17]`, `Data[3]`, `[5]`. */
export type RowPath = string;

const NONE = Symbol.for('object-stream.none');

interface Token { name: string; value?: unknown }

const DATA_KEYS = new Set(['data']);
const TOKEN_KEYS: Record<string, PageShape> = { skip_token: 'az-graph-query', $skiptoken: 'rest', skiptoken: 'search-azgraph' };
const TOTAL_KEYS: Record<string, PageShape> = { total_records: 'az-graph-query', totalrecords: 'rest' };

/** Encoding by the BOM in the first bytes: how many bytes to skip, or why the page cannot be read. */
function encodingOf(head: Buffer): { encoding: 'utf8' | 'utf16le'; skip: number } {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', skip: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) throw new PageEncodingError('UTF-16 big-endian; save it as UTF-8');
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', skip: 3 };
  return { encoding: 'utf8', skip: 0 };
}

class PageEncodingError extends Error {}

class RowHandlerError extends Error {
  constructor(override readonly cause: unknown) {
    super('the row handler failed');
  }
}

/** The page's text in chunks, decoded from its bytes (a file's or a stream's), the BOM dropped. */
async function* textChunks(bytes: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  let head: Buffer | undefined = Buffer.alloc(0);
  let decoder: StringDecoder | undefined;
  for await (const raw of bytes) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    if (!decoder) {
      head = Buffer.concat([head!, chunk]);
      if (head.length < 3) continue;
      const enc = encodingOf(head);
      decoder = new StringDecoder(enc.encoding);
      const text = decoder.write(head.subarray(enc.skip));
      head = undefined;
      if (text) yield text;
      continue;
    }
    const text = decoder.write(chunk);
    if (text) yield text;
  }
  if (!decoder) {
    // Fewer than three bytes in all.
    const enc = encodingOf(head!);
    decoder = new StringDecoder(enc.encoding);
    const text = decoder.write(head!.subarray(enc.skip));
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

const tokensOf = (out: unknown): Token[] => {
  if (out === NONE || out === undefined) return [];
  const values = (out as { values?: Token[] }).values;
  return Array.isArray(values) ? values : [out as Token];
};

/**
 * Reads one page; `onRow` gets each row (any JSON value) with its path, in order, and may be async (the file waits).
 * The page is the file at `path`, or `stream` when given (standard input; `path` then only names it). Never throws
 * for bad content: the result's `error` says what was wrong, and rows before a cut were still handed on. What
 * `onRow` throws is thrown as is (a report that cannot be written is not a fault of the page).
 */
export async function readPage(path: string, onRow: (row: unknown, where: RowPath) => void | Promise<void>, stream?: NodeJS.ReadableStream): Promise<PageResult> {
  const result: PageResult = { path, rows: 0 };
  const tokenizer = jsonParser({ packValues: true, streamValues: false });
  let depth = 0;
  let rowsDepth = -1;
  let rowsKey = '';
  let pendingKey: string | undefined;
  let asm: InstanceType<typeof Assembler> | undefined;
  let sawData = false;
  let objectShape: PageShape | undefined;

  // The caller's failure (a report it could not write) is its own, not the page's: passed through, not a JSON error.
  const handOn = async (row: unknown, where: RowPath): Promise<void> => {
    try {
      await onRow(row, where);
    } catch (err) {
      throw new RowHandlerError(err);
    }
  };
  const finishRow = async (): Promise<void> => {
    const row = asm!.current;
    asm = undefined;
    await handOn(row, `${rowsKey}[${result.rows++}]`);
  };
  const handle = async (t: Token): Promise<void> => {
    if (asm) {
      asm.consume(t as never);
      if (t.name === 'endObject' || t.name === 'endArray') depth--;
      else if (t.name === 'startObject' || t.name === 'startArray') depth++;
      if (asm.done) await finishRow();
      return;
    }
    const opens = t.name === 'startObject' || t.name === 'startArray';
    const closes = t.name === 'endObject' || t.name === 'endArray';
    if (depth === 0 && opens) {
      if (t.name === 'startArray') {
        result.shape = 'array';
        rowsDepth = 1;
        sawData = true;
      }
      depth++;
      return;
    }
    if (depth === rowsDepth && !closes) {
      // A row starts here: an object or array is assembled; a scalar row is a row too (refused by the caller).
      if (opens) {
        asm = new Assembler();
        asm.consume(t as never);
        depth++;
        if (asm.done) await finishRow();
      } else {
        await handOn(t.value ?? null, `${rowsKey}[${result.rows++}]`);
      }
      return;
    }
    if (depth === 1 && rowsDepth !== 1) {
      if (t.name === 'keyValue') {
        pendingKey = String(t.value);
        return;
      }
      const written = pendingKey;
      const key = written?.toLowerCase();
      pendingKey = undefined;
      if (key !== undefined && DATA_KEYS.has(key) && t.name === 'startArray' && !sawData) {
        sawData = true;
        rowsKey = written!;
        rowsDepth = 2;
        if (!objectShape && written === 'Data') objectShape = 'search-azgraph';
        depth++;
        return;
      }
      if (key !== undefined && !opens && !closes) {
        if (key in TOKEN_KEYS) {
          objectShape ??= TOKEN_KEYS[key];
          if (typeof t.value === 'string' && t.value !== '') result.skipToken = t.value;
        } else if (key in TOTAL_KEYS) {
          objectShape ??= TOTAL_KEYS[key];
          const n = Number(t.value);
          if (Number.isFinite(n)) result.totalRecords = n;
        }
      }
    }
    if (opens) depth++;
    else if (closes) depth--;
  };

  // A stream given is not destroyed when the page stops early (the caller owns it: the worker's standard input
  // must still reach its end for the worker to exit).
  const bytes: AsyncIterable<Buffer | string> = stream
    ? (stream as Readable).iterator?.({ destroyOnReturn: false }) ?? (stream as AsyncIterable<Buffer | string>)
    : createReadStream(path, { highWaterMark: 256 * 1024 });
  let started = false;
  try {
    for await (const chunk of textChunks(bytes)) {
      started = true;
      for (const t of tokensOf(tokenizer(chunk))) {
        await handle(t);
      }
    }
    for (const t of tokensOf(tokenizer(NONE as unknown as string))) await handle(t);
  } catch (err) {
    if (!stream) (bytes as ReturnType<typeof createReadStream>).destroy();
    if (err instanceof RowHandlerError) throw err.cause;
    const code = (err as NodeJS.ErrnoException).code;
    if (!started && (code || err instanceof PageEncodingError)) {
      result.error = `${path}: ${code === 'ENOENT' ? 'no such file' : code ? `cannot be read (${code})` : (err as Error).message}; expected an Azure Resource Graph export (JSON)`;
      return result;
    }
    const why = code ? `cannot be read (${code})` : `is not complete JSON (${(err as Error).message})`;
    const after = result.rows > 0 ? `after ${result.rows} complete row${result.rows === 1 ? '' : 's'} (those were analyzed)` : 'before any complete row';
    result.error = `${path}: ${why} ${after}: cut or damaged in transfer; export this page again`;
    if (result.shape === undefined && objectShape) result.shape = objectShape;
    return result;
  }
  result.shape ??= objectShape ?? 'az-graph-query';
  if (!sawData) {
    result.error = `${path}: no "data" array of rows; expected an Azure Resource Graph export (az graph query -o json, the REST response, or Search-AzGraph output)`;
  }
  return result;
}
