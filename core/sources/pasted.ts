/**
 * The pasted source: files or standard input -> decoded text -> the pipeline (core/engine/pipeline: ingest ->
 * combine -> evaluate -> annotate) -> one report. Big files are streamed through the log grammars instead.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { FactStore } from '../engine/fact-store';
import { inputError, ingestText, logScanSummary } from '../engine/ingest';
import { evaluate, type AnalyzeOptions } from '../engine/pipeline';
import { detectParser } from '../parsers';
import type { InputSummary, Report } from '../model/report';
import { decodeText, InputError, MAX_TEXT_BYTES } from '../text/text-input';
import { detectGrammar, LogFacts, LogFileReader, scanLogFile, type LogScanResult } from '../parsers/logs';

/** Text inputs larger than this are streamed through the log grammars and the signature scan, not read whole. */
export const LARGE_TEXT_BYTES = 8 * 1024 * 1024;

/**
 * Refuses, by its bytes, a file that is not text to read: empty, a `.zip` that is not one (zips go to the bundle
 * reader by their magic, so a `.zip` here lacks it), a PDF (compressed or not: its text is not the text shown).
 */
async function refuseByBytes(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError(`${path}: no such file or directory; expected a file of command output`);
    throw new InputError(`${path}: cannot be read (${code ?? (err as Error).message}); expected a file of command output`);
  }
  if (!info.isFile()) return;
  if (info.size === 0) throw new InputError(`${path}: empty file; expected a file of command output`);
  let head = Buffer.alloc(0);
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return; // readInputText says why it cannot be read
  }
  if (isPdf(head)) throw new InputError(`${path}: PDF: paste the text instead (copy the command output from the PDF into a .txt file)`);
  if (/\.zip$/i.test(path)) throw new InputError(`${path}: not a zip archive (no zip signature); expected an azcmagent logs zip, a folder or a file of command output`);
}

/** The `%PDF-` magic at the start (after a BOM or blank lines at most): text that merely mentions it is still text. */
function isPdf(head: Buffer): boolean {
  return /^(?:\xef\xbb\xbf)?[\t\n\r ]{0,16}%PDF-/.test(head.subarray(0, 64).toString('latin1'));
}

export async function readInputText(path: string): Promise<string> {
  await refuseByBytes(path);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError(`${path}: no such file or directory; expected a file of command output`);
  }
  if (info.isDirectory()) throw new InputError(`${path}: is a directory; expected a file of command output`);
  if (!info.isFile()) throw new InputError(`${path}: not a regular file; expected a file of command output`);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new InputError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); expected a file of command output`);
  }
  return decodeText(bytes, path);
}

/** Standard input: whole when small, else streamed through the log grammars (see streamPlan). */
export async function readStreamText(stream: NodeJS.ReadableStream, name: string): Promise<{ text: string } | { scan: LogScanResult; note?: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const iter = stream[Symbol.asyncIterator]();
  for (;;) {
    const next = await iter.next();
    if (next.done) return { text: decodeText(Buffer.concat(chunks, size), name) };
    const buf = Buffer.isBuffer(next.value) ? next.value : Buffer.from(String(next.value));
    chunks.push(buf);
    size += buf.length;
    if (size > LARGE_TEXT_BYTES) break;
  }
  const note = largeNote(name, undefined, decodeHead(Buffer.concat(chunks), name));
  const facts = new LogFacts();
  const reader = new LogFileReader({ path: name, source: 'pasted', role: 'text' }, facts);
  for (const c of chunks.splice(0)) reader.push(c);
  for (let next = await iter.next(); !next.done && !reader.binary; next = await iter.next()) {
    reader.push(Buffer.isBuffer(next.value) ? next.value : Buffer.from(String(next.value)));
  }
  const summary = reader.end();
  return { scan: { observations: facts.observations(), notes: facts.notes, summary }, ...(note ? { note } : {}) };
}

const HEAD_BYTES = 64 * 1024;

function decodeHead(buf: Buffer, name: string): string | undefined {
  try {
    return decodeText(buf.subarray(0, HEAD_BYTES), name);
  } catch {
    return undefined;
  }
}

/** Said when a big input looks like a command output but was only scanned as a log. */
function largeNote(name: string, size: number | undefined, head: string | undefined): string | undefined {
  const parser = head !== undefined && detectGrammar(head).id === 'plain' ? detectParser(head) : undefined;
  if (!parser) return undefined;
  const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;
  return `${name}: ${size !== undefined ? mib(size) : `more than ${mib(LARGE_TEXT_BYTES)}`}, more than the ${mib(LARGE_TEXT_BYTES)} read whole as command output (it starts like ${parser.label}); it was scanned for agent log lines and known error messages only`;
}

/**
 * Whether a file is streamed rather than read whole. Whole-file parsing holds the text and the parsers'
 * per-line objects at once (a 64 MiB Get-Service list took 1.4 GB, 20x its size), so a file over
 * LARGE_TEXT_BYTES goes through the log grammars and the signature scan chunk by chunk instead: memory stays
 * bounded whatever its size. `undefined`: read whole (small files; non-log text over MAX_TEXT_BYTES, which
 * the whole path refuses with its size).
 */
async function streamPlan(path: string): Promise<{ note?: string } | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size <= LARGE_TEXT_BYTES) return undefined;
    const fh = await open(path, 'r');
    try {
      const head = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      const text = decodeHead(head.subarray(0, bytesRead), path);
      if (text === undefined) return undefined;
      if (detectGrammar(text).id === 'plain' && info.size > MAX_TEXT_BYTES) return undefined;
      const note = largeNote(path, info.size, text);
      return note ? { note } : {};
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * Analyzes files of pasted output (`-` reads standard input). Unreadable or unrecognized inputs are
 * reported in `inputs`, not thrown.
 */
export async function analyzeFiles(paths: readonly string[], options: AnalyzeOptions, stdin?: NodeJS.ReadableStream): Promise<Report> {
  const facts = new FactStore();
  const inputs: InputSummary[] = [];
  for (const path of paths) {
    try {
      if (path !== '-') await refuseByBytes(path);
      const plan = path !== '-' ? await streamPlan(path) : undefined;
      if (plan) {
        inputs.push(withNote(logScanSummary(facts, path, await scanLogFile(path, 'pasted')), plan.note));
        continue;
      }
      if (path === '-' && stdin) {
        const read = await readStreamText(stdin, '<stdin>');
        inputs.push('text' in read ? ingestText(facts, '<stdin>', read.text) : withNote(logScanSummary(facts, '<stdin>', read.scan), read.note));
        continue;
      }
      inputs.push(ingestText(facts, path, await readInputText(path)));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      inputs.push(inputError(path, err.message));
    }
  }
  return evaluate(facts, inputs, options, new Set(['pasted']));
}

export type TextInput = { path: string; text: string } | { path: string; error: string };

/** Texts already read (the extension's files and editors), or the reason one could not be: one pasted report. */
export function analyzeTexts(texts: readonly TextInput[], options: AnalyzeOptions): Report {
  const facts = new FactStore();
  const inputs = texts.map((t) => ('error' in t ? inputError(t.path, t.error) : ingestText(facts, t.path, t.text)));
  return evaluate(facts, inputs, options, new Set(['pasted']));
}

function withNote(summary: InputSummary, note: string | undefined): InputSummary {
  if (note) summary.messages.unshift(note);
  return summary;
}
