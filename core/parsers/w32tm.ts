/**
 * Windows Time output (https://learn.microsoft.com/windows-server/networking/windows-time-service/windows-time-service-tools-and-settings,
 * checked 2026-12):
 * - `w32tm /query /status [/verbose]`: `Key: value` lines (`Leap Indicator`, `Stratum`, `Source`, `Last Successful Sync
 *   Time`; `/verbose` adds `Phase Offset: 0.0001234s`). `Source: Local CMOS Clock` or `Free-running System Clock` means
 *   the clock is not synchronized; `The service has not been started. (0x80070426)` means w32time is stopped.
 * - `w32tm /stripchart /computer:<host> [/samples:n] [/dataonly]`: `Tracking <host> [<ip>:123].`, then one line a sample,
 *   `08:10:12, d:+00.0312500s o:-183.2345678s  [ ... ]` or, with /dataonly, `08:10:12, -183.2345678s`; failed samples
 *   read `08:10:12, error: 0x800705B4`. The offset used is the median of the samples.
 */
import { observe, type ClockFact } from '../model/facts';
import { inputEvidence, lineEvidence, ParseError, type InputRef, type ParseResult, type TextParser } from './parser';

const STATUS_KEYS = /^(?:Leap Indicator|Stratum|Last Successful Sync Time|Poll Interval|ReferenceId):/m;
const SOURCE = /^Source:[ \t]{0,10}(\S[^\n]{0,200}?)[ \t]*$/m;
const PHASE = /^Phase Offset:[ \t]{0,10}([+-]?\d{1,9}(?:\.\d{1,9})?)s[ \t]*$/m;
const NOT_STARTED = /The service has not been started\.?\s{0,4}\(0x80070426\)/i;
const TRACKING = /^Tracking[ \t]{1,4}([A-Za-z0-9.:[\]-]{1,255})[ \t]{0,4}\[/m;
/** One stripchart sample: the time, then either `d:... o:<offset>s` or the bare offset (/dataonly). */
const SAMPLE = /^\d{1,2}:\d{2}:\d{2}(?:[ \t]?[AP]M)?,[ \t]{0,4}(?:d:[+-]?\d{1,9}\.\d{1,9}s[ \t]{1,4}o:)?([+-]?\d{1,9}\.\d{1,9})s\b/;
const SAMPLE_ERROR = /^\d{1,2}:\d{2}:\d{2}(?:[ \t]?[AP]M)?,[ \t]{0,4}error:/i;
const UNSYNCED = /^(?:Local CMOS Clock|Free-running System Clock)$/i;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function parseW32tm(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const warnings: string[] = [];
  const lineOf = (re: RegExp): number => lines.findIndex((l) => re.test(l));

  if (NOT_STARTED.test(text)) {
    const at = lineOf(NOT_STARTED);
    return { observations: [observe('clock', { unsynchronized: true, source: 'the Windows Time service is not running' }, lineEvidence(input, at, lines[at]!))] };
  }

  const tracking = TRACKING.exec(text);
  const samples: Array<{ offset: number; line: number }> = [];
  let errors = 0;
  lines.forEach((l, i) => {
    const m = SAMPLE.exec(l.trim());
    if (m) samples.push({ offset: Number(m[1]), line: i });
    else if (SAMPLE_ERROR.test(l.trim())) errors++;
  });
  if (tracking || samples.length > 0) {
    if (samples.length === 0) throw new ParseError(`w32tm /stripchart without a successful sample${errors ? ` (${errors} error${errors === 1 ? '' : 's'}: the time source did not answer)` : ''}`);
    if (errors) warnings.push(`${errors} sample${errors === 1 ? '' : 's'} failed`);
    const fact: ClockFact = { offsetSeconds: median(samples.map((s) => s.offset)) };
    if (tracking) fact.source = tracking[1]!;
    const first = samples[0]!.line;
    return { observations: [observe('clock', fact, lineEvidence(input, first, lines[first]!))], warnings };
  }

  const source = SOURCE.exec(text)?.[1]?.trim();
  const phase = PHASE.exec(text)?.[1];
  if (!STATUS_KEYS.test(text) || (!source && phase === undefined)) {
    throw new ParseError('expected w32tm /query /status output (Source:, Phase Offset:) or w32tm /stripchart samples');
  }
  const fact: ClockFact = {};
  if (phase !== undefined) fact.offsetSeconds = Number(phase);
  if (source) {
    fact.source = source.replace(/,0x[0-9a-f]{1,2}$/i, '');
    if (UNSYNCED.test(fact.source)) fact.unsynchronized = true;
  }
  const at = phase !== undefined ? lineOf(PHASE) : lineOf(SOURCE);
  return { observations: [observe('clock', fact, at >= 0 ? lineEvidence(input, at, lines[at]!) : inputEvidence(input))], warnings };
}

export const w32tmParser: TextParser = {
  id: 'w32tm',
  label: 'w32tm /query /status, w32tm /stripchart',
  detect(text) {
    if (TRACKING.test(text) && /^Collecting[ \t]\d{1,5}[ \t]samples/m.test(text)) return 95;
    if (STATUS_KEYS.test(text) && (SOURCE.test(text) || PHASE.test(text))) return 90;
    if (NOT_STARTED.test(text) && /w32tm/i.test(text)) return 80;
    return 0;
  },
  parse: parseW32tm,
};
