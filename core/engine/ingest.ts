/**
 * Ingest, the pipeline's first stage, for every source: one text input -> its parser -> observations in the
 * FactStore -> its InputSummary. Pasted files, bundle entries no path claims, live command outputs and the
 * extension's editors all come through here, so one text gives one summary and one set of facts whatever
 * delivered it.
 */
import type { FactStore } from './fact-store';
import type { EndpointProbe } from '../model/facts';
import type { InputSummary } from '../model/report';
import type { SourceKind } from '../model/types';
import { CONFIDENT_DETECTION, detectParserScored, PASTED_PARSERS } from '../parsers';
import { ParseError, type TextParser } from '../parsers/parser';
import { grammarLabel, scanLogText, type LogScanResult } from '../parsers/logs';
import { capLines, cutLinesMessage, internalErrorMessage } from '../text/text-input';

/** How many resolution notes of a log scan become input messages. */
const MAX_LOG_NOTES = 5;

export interface ParseInputOptions {
  /**
   * Also scan the text for agent log lines and known error messages around the command's own output (pasted
   * console transcripts carry them: azcmagent check prints logrus lines before its table). Captured outputs (live,
   * snapshot entries) are the command's output alone.
   */
  scanAround?: boolean;
}

/** An input in error before any parser saw it (unreadable, refused): its one message. */
export function inputError(path: string, message: string): InputSummary {
  return { path, kind: null, status: 'error', facts: 0, messages: [message] };
}

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
 * Parses `text` with `parser` into the store. Content the parser refuses (ParseError) is the input's message
 * ("looks like X but ..."); any other failure is thrown, for the caller to make the input's message.
 */
export function parseInput(facts: FactStore, parser: TextParser, path: string, text: string, source: SourceKind, options: ParseInputOptions = {}): InputSummary {
  try {
    const result = parser.parse(text, { path, source });
    facts.addAll(result.observations);
    const extra = options.scanAround ? logsAround(result.observations, path, text, source) : [];
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

/** What the log scan finds that the parser did not state; the same endpoint merges into the parser's probe. */
function logsAround(stated: ReturnType<TextParser['parse']>['observations'], path: string, text: string, source: SourceKind) {
  const own = new Map(stated.map((o) => [o.name, o]));
  return scanLogText(path, text, source, 'command-output').observations.filter((o) => {
    const mine = own.get(o.name);
    if (!mine) return true;
    // The same endpoint in the parser's output: keep the parser's probe, with the layer the error taxonomy read.
    if (o.name.startsWith('probe.')) enrichProbe(mine.value as EndpointProbe, o.value as EndpointProbe);
    return false;
  });
}

function enrichProbe(own: EndpointProbe, scanned: EndpointProbe): void {
  if (scanned.reachable !== false || own.layer !== undefined || scanned.layer === undefined) return;
  own.layer = scanned.layer;
  if (scanned.proxyAddress && !own.proxyAddress) own.proxyAddress = scanned.proxyAddress;
  if (scanned.error && !own.error) own.error = scanned.error;
}

/**
 * Parses one pasted text input into the store; returns its summary. Never throws: bad content is the input's
 * message, and so is a parser's unexpected failure (the other inputs are still analyzed). Lines are cut at 64 KiB
 * first. Text no parser claims goes through the log grammars and the signature scan; only when that finds nothing
 * either is it unrecognized.
 */
export function ingestText(facts: FactStore, path: string, text: string, source: SourceKind = 'pasted'): InputSummary {
  const capped = capLines(text);
  let parser: TextParser | undefined;
  let summary: InputSummary;
  try {
    const found = detectParserScored(capped.text);
    parser = found?.parser;
    summary = parser ? parseInput(facts, parser, path, capped.text, source, { scanAround: true }) : logScanSummary(facts, path, scanLogText(path, capped.text, source));
    if (found && summary.status === 'error' && found.score < CONFIDENT_DETECTION) {
      // A guess the parser refused (an IMDS token request taken for the WAC home page probe) is read as text, and the
      // message says what it was not; broken JSON that the guess was about stays its error unless the text says more.
      const scan = scanLogText(path, capped.text, source);
      if (scan.observations.length > 0 || !/^\uFEFF?\s*[{[]/.test(capped.text)) {
        const refused = summary.messages[0];
        summary = logScanSummary(facts, path, scan);
        if (refused) summary.messages.push(`${refused}; read as text instead`);
      }
    }
  } catch (err) {
    summary = { path, kind: parser?.id ?? null, status: 'error', facts: 0, messages: [internalErrorMessage(path, err)] };
    if (parser) summary.label = parser.label;
  }
  if (capped.cut > 0) summary.messages.unshift(cutLinesMessage(path, capped.cut));
  return summary;
}
