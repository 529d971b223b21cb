/**
 * The pasted-input pipeline: files -> decoded text -> the best parser -> observations -> combiners
 * -> rules -> report. Sources for bundles and live machines feed the same FactStore.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { FactStore } from './fact-store';
import { runRules } from './engine';
import { combineWacPort } from './combiners/wac-port';
import { PASTED_PARSERS } from './parsers';
import { ParseError, type TextParser } from './parser';
import { summarize, TOOL_NAME, TOOL_VERSION, type InputSummary, type Report } from './report';
import type { Rule } from './rule';
import { capLines, cutLinesMessage, decodeText, InputError, internalErrorMessage, MAX_TEXT_BYTES } from './text-input';
import type { SourceKind } from './types';
import { detectGrammar, grammarLabel, scanLogFile, scanLogText, type LogScanResult } from './logs';

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
    const u = unrecognized(path);
    if (scan.summary.binary) u.messages = [`${path}: binary data; expected text (command output or a log file)`];
    return u;
  }
  facts.add(...scan.observations);
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
    // One at a time: spreading a very long list as arguments overflows the stack.
    for (const o of result.observations) facts.add(o);
    return {
      path, kind: parser.id, label: parser.label, status: 'parsed', facts: result.observations.length,
      messages: (result.warnings ?? []).map((w) => `${path}: ${w}`),
    };
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    return { path, kind: parser.id, label: parser.label, status: 'error', facts: 0, messages: [`${path}: looks like ${parser.label} but ${err.message}`] };
  }
}

/** Text files larger than this that start like an agent log are streamed through the log grammars, not read whole. */
export const LARGE_TEXT_BYTES = 8 * 1024 * 1024;

export async function readInputText(path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError(`${path}: no such file; expected a file of command output`);
  }
  if (info.isDirectory()) throw new InputError(`${path}: is a directory; expected a file of command output`);
  if (!info.isFile()) throw new InputError(`${path}: not a regular file; expected a file of command output`);
  return decodeText(await readFile(path), path);
}

export function evaluate(facts: FactStore, inputs: InputSummary[], options: AnalyzeOptions, sourceKinds: Set<SourceKind>): Report {
  facts.add(combineWacPort(facts, options.port));
  const now = options.now ?? new Date();
  // Ages (heartbeat, certificate expiry) are measured from when the outputs were captured, which for
  // pasted text is best estimated by the newest time they state; only live checks use the clock.
  const asOf = sourceKinds.has('live') ? now : facts.latestTime() ?? now;
  const results = runRules(options.rules, facts, { now: asOf, sourceKinds });
  return {
    version: 1, tool: { name: TOOL_NAME, version: TOOL_VERSION }, generatedAt: now.toISOString(), inputs, results, summary: summarize(results),
  };
}

/** Reads a stream (standard input) up to the text size limit. */
export async function readStreamText(stream: NodeJS.ReadableStream, name: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_TEXT_BYTES) throw new InputError(`${name}: more than ${MAX_TEXT_BYTES} bytes; expected text output`);
    chunks.push(buf);
  }
  return decodeText(Buffer.concat(chunks), name);
}

/** A file over LARGE_TEXT_BYTES whose first lines follow a log grammar (command outputs keep the whole-file path). */
async function isLargeLog(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size <= LARGE_TEXT_BYTES) return false;
    const fh = await open(path, 'r');
    try {
      const head = Buffer.alloc(64 * 1024);
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      const text = decodeText(head.subarray(0, bytesRead), path);
      return detectGrammar(text).id !== 'plain';
    } finally {
      await fh.close();
    }
  } catch {
    return false;
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
      if (path !== '-' && (await isLargeLog(path))) {
        inputs.push(logScanSummary(facts, path, await scanLogFile(path, 'pasted')));
        continue;
      }
      const text = path === '-' && stdin ? await readStreamText(stdin, '<stdin>') : await readInputText(path);
      inputs.push(ingestText(facts, path === '-' ? '<stdin>' : path, text));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      inputs.push({ path, kind: null, status: 'error', facts: 0, messages: [err.message] });
    }
  }
  return evaluate(facts, inputs, options, new Set(['pasted']));
}
