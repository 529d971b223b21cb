/**
 * The pasted-input pipeline: files -> decoded text -> the best parser -> observations -> combiners
 * -> rules -> report. Sources for bundles and live machines feed the same FactStore.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { FactStore } from '../engine/fact-store';
import { runRules } from '../engine/run';
import { orderFindings } from '../model/order';
import { conclude } from '../model/conclusion';
import { combineWacPort } from '../combiners/wac-port';
import { PASTED_PARSERS } from '../parsers';
import { ParseError, type TextParser } from '../parsers/parser';
import { summarize, TOOL_NAME, TOOL_VERSION, type InputSummary, type Report } from '../model/report';
import type { Rule } from '../engine/rule';
import { capLines, cutLinesMessage, decodeText, InputError, internalErrorMessage, MAX_TEXT_BYTES } from '../text/text-input';
import type { SourceKind } from '../model/types';
import type { EndpointProbe } from '../model/facts';
import { detectGrammar, grammarLabel, LogFacts, LogFileReader, scanLogFile, scanLogText, type LogScanResult } from '../parsers/logs';

export interface AnalyzeOptions {
  rules: readonly Rule[];
  port?: number;
  now?: Date;
}

export function detectParser(text: string, parsers: readonly TextParser[] = PASTED_PARSERS): TextParser | undefined {
  let best: TextParser | undefined;
  let bestScore = 0;
  for (const p of parsers) {
    const score = p.detect(text);
    if (score > bestScore) [best, bestScore] = [p, score];
  }
  return best;
}

/** How many resolution notes of a log scan become input messages. */
const MAX_LOG_NOTES = 5;

function unrecognized(path: string): InputSummary {
  const labels = PASTED_PARSERS.map((p) => p.label).filter((l, i, a) => a.indexOf(l) === i);
  return {
    path, kind: null, status: 'unrecognized', facts: 0,
    messages: [`${path}: not a recognized output; expected one of: ${labels.join(', ')}, or an agent log or text with known error messages`],
  };
}

/** Summary of text that went through the log grammars and the signature scan. */
export function logScanSummary(facts: FactStore, path: string, scan: LogScanResult): InputSummary {
  if (scan.observations.length === 0) {
    if (scan.summary.binary) {
      const u = unrecognized(path);
      u.messages = [`${path}: binary data; expected text (command output or a log file)`];
      return u;
    }
    // Text that states nothing known (a ticket narrative) is still an input: the report says what to collect.
    return { path, kind: 'text', label: 'text (no known output or message)', status: 'parsed', facts: 0, messages: [`${path}: no known command output, log format or error message found`] };
  }
  facts.addAll(scan.observations);
  const { firstTime, lastTime, truncatedLines } = scan.summary;
  const messages: string[] = [];
  if (firstTime && lastTime) messages.push(`${path}: ${grammarLabel(scan.summary.grammar)} from ${firstTime} to ${lastTime}`);
  if (truncatedLines > 0) messages.push(cutLinesMessage(path, truncatedLines));
  messages.push(...scan.notes.slice(0, MAX_LOG_NOTES).map((n) => `${path}: ${n}`));
  return { path, kind: `log-${scan.summary.grammar}`, label: grammarLabel(scan.summary.grammar), status: 'parsed', facts: scan.observations.length, messages };
}

/**
 * Parses one text input into the store; returns its summary. Never throws: bad content is the input's message, and
 * so is a parser's unexpected failure (the other inputs are still analyzed). Lines are cut at 64 KiB first. Text no
 * pasted-output parser claims goes through the log grammars and the signature scan; only when that finds nothing
 * either is it unrecognized.
 */
export function ingestText(facts: FactStore, path: string, text: string, source: SourceKind = 'pasted'): InputSummary {
  const capped = capLines(text);
  let parser: TextParser | undefined;
  let summary: InputSummary;
  try {
    parser = detectParser(capped.text);
    summary = parser ? parseWith(facts, parser, path, capped.text, source) : logScanSummary(facts, path, scanLogText(path, capped.text, source));
  } catch (err) {
    summary = { path, kind: parser?.id ?? null, status: 'error', facts: 0, messages: [internalErrorMessage(path, err)] };
    if (parser) summary.label = parser.label;
  }
  if (capped.cut > 0) summary.messages.unshift(cutLinesMessage(path, capped.cut));
  return summary;
}

function parseWith(facts: FactStore, parser: TextParser, path: string, text: string, source: SourceKind): InputSummary {
  try {
    const result = parser.parse(text, { path, source });
    facts.addAll(result.observations);
    // Pasted output often carries log lines and errors around the command's own output (azcmagent check prints
    // logrus lines before its table): the log scan adds what the parser didn't state, and endpoint details merge.
    const stated = new Map(result.observations.map((o) => [o.name, o]));
    const extra = scanLogText(path, text, source, 'command-output').observations.filter((o) => {
      const own = stated.get(o.name);
      if (!own) return true;
      // The same endpoint in the parser's output: keep the parser's probe, with the layer the error taxonomy read.
      if (o.name.startsWith('probe.')) enrichProbe(own.value as EndpointProbe, o.value as EndpointProbe);
      return false;
    });
    facts.addAll(extra);
    return {
      path, kind: parser.id, label: parser.label, status: 'parsed', facts: result.observations.length + extra.length,
      messages: (result.warnings ?? []).map((w) => `${path}: ${w}`),
    };
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    return { path, kind: parser.id, label: parser.label, status: 'error', facts: 0, messages: [`${path}: looks like ${parser.label} but ${err.message}`] };
  }
}

function enrichProbe(own: EndpointProbe, scanned: EndpointProbe): void {
  if (scanned.reachable !== false || own.layer !== undefined || scanned.layer === undefined) return;
  own.layer = scanned.layer;
  if (scanned.proxyAddress && !own.proxyAddress) own.proxyAddress = scanned.proxyAddress;
  if (scanned.error && !own.error) own.error = scanned.error;
}

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

export function evaluate(facts: FactStore, inputs: InputSummary[], options: AnalyzeOptions, sourceKinds: Set<SourceKind>): Report {
  facts.add(combineWacPort(facts, options.port));
  const now = options.now ?? new Date();
  // Ages (heartbeat, certificate expiry) are measured from when the outputs were captured, which for
  // pasted text is best estimated by the newest time they state; only live checks use the clock.
  const latest = sourceKinds.has('live') ? undefined : facts.latestTime();
  const asOf = latest ?? now;
  // Stored in report order (core/model/order), so a JSON consumer reads what every reporter shows.
  const results = orderFindings(runRules(options.rules, facts, { now: asOf, nowFrom: latest ? 'inputs' : 'clock', sourceKinds }));
  const conclusion = conclude(results);
  return {
    version: 1, tool: { name: TOOL_NAME, version: TOOL_VERSION }, generatedAt: now.toISOString(), inputs, results, summary: summarize(results),
    ...(conclusion ? { conclusion } : {}),
  };
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
      inputs.push({ path, kind: null, status: 'error', facts: 0, messages: [err.message] });
    }
  }
  return evaluate(facts, inputs, options, new Set(['pasted']));
}

function withNote(summary: InputSummary, note: string | undefined): InputSummary {
  if (note) summary.messages.unshift(note);
  return summary;
}
