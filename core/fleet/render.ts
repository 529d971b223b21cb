/**
 * The fleet summary in words: text (summary first, then one line per machine that is not ready or unknown, with its
 * first cause) and markdown. Input-derived strings (machine names, messages) are redacted when asked and, in text,
 * made inert for terminals (core/visible); in markdown, escaped.
 */
import { redact } from '../text/redact';
import { visible } from '../text/visible';
import { code, escapeMd } from '../reporters/markdown';
import type { InputSummary } from '../model/report';
import type { FleetSummary, MachineVerdict } from './summary';

export interface FleetRenderOptions {
  redact: boolean;
  /** Messages in full (the text lines clip them to one screen line otherwise). */
  verbose: boolean;
}

const READINESS_LABEL = { ready: 'ready', 'not-ready': 'not ready', unknown: 'unknown' } as const;

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 3)}...`;
}

/** The text summary line by line, so a 100,000-machine fleet is written without holding the whole text. */
export function* fleetSummaryLines(summary: FleetSummary, pages: readonly InputSummary[], options: FleetRenderOptions): Generator<string> {
  const t = (s: string): string => visible(options.redact ? redact(s) : s);
  yield `Fleet: ${summary.machines} machine${summary.machines === 1 ? '' : 's'} from ${pages.length} export page${pages.length === 1 ? '' : 's'}: ${summary.ready} ready, ${summary.notReady} not ready, ${summary.unknown} unknown`;
  yield `  ready: ${summary.definitions.ready}`;
  yield `  not ready: ${summary.definitions['not-ready']}`;
  yield `  unknown: ${summary.definitions.unknown}`;
  yield `  decisive rules: ${summary.definitions.decisiveRules.join(', ')}`;
  if (summary.failingRules.length > 0) {
    yield ''; yield 'Failing rules (worst first):';
    const width = Math.max(...summary.failingRules.map((r) => r.ruleId.length));
    for (const r of summary.failingRules) {
      yield `  ${r.ruleId.padEnd(width)}  ${String(r.machines).padStart(6)} machine${r.machines === 1 ? ' ' : 's'} blocked  (fail ${r.fail}, warn ${r.warn}, error ${r.error})  ${r.title}`;
    }
  }
  if (summary.topFixes.length > 0) {
    yield ''; yield 'Fixes that unblock the most machines (by first blocking cause):';
    for (const f of summary.topFixes) {
      yield `  ${String(f.machines).padStart(6)} machine${f.machines === 1 ? ' ' : 's'}  ${t(f.summary)} [${f.ruleIds.join(', ')}]`;
      if (f.command) yield `          ${t(f.command)}`;
    }
  }
  if (summary.attention.length > 0) {
    yield ''; yield 'Machines not ready or unknown (first cause, then its fix):';
    for (const m of summary.attention) yield `  ${machineLine(m, t, options.verbose)}`;
  }
}

export function fleetSummaryText(summary: FleetSummary, pages: readonly InputSummary[], options: FleetRenderOptions): string {
  return `${[...fleetSummaryLines(summary, pages, options)].join('\n')}\n`;
}

function machineLine(m: MachineVerdict, t: (s: string) => string, verbose: boolean): string {
  const cause = m.cause ? `${m.cause.ruleId} (${m.cause.status}): ${verbose ? m.cause.message : clip(m.cause.message, 160)}` : '';
  const fix = m.cause?.fix ? ` -> ${m.cause.fix.summary}` : '';
  return t(`${m.name}  ${READINESS_LABEL[m.readiness]}  ${cause}${fix}`);
}

export function fleetSummaryMarkdown(summary: FleetSummary, options: FleetRenderOptions): string {
  const md = (s: string): string => escapeMd(options.redact ? redact(s) : s);
  const out: string[] = ['# Fleet readiness', ''];
  out.push(`**${summary.machines}** machines: **${summary.ready}** ready, **${summary.notReady}** not ready, **${summary.unknown}** unknown.`, '');
  out.push(`- ready: ${escapeMd(summary.definitions.ready)}`, `- not ready: ${escapeMd(summary.definitions['not-ready'])}`, `- unknown: ${escapeMd(summary.definitions.unknown)}`, '');
  if (summary.failingRules.length > 0) {
    out.push('## Failing rules', '', '| Rule | Machines blocked | Fail | Warn | Error |', '|---|---:|---:|---:|---:|');
    for (const r of summary.failingRules) out.push(`| ${code(r.ruleId, true)} ${escapeMd(r.title)} | ${r.machines} | ${r.fail} | ${r.warn} | ${r.error} |`);
    out.push('');
  }
  if (summary.topFixes.length > 0) {
    out.push('## Fixes that unblock the most machines', '', '| Machines | Fix | Command |', '|---:|---|---|');
    for (const f of summary.topFixes) out.push(`| ${f.machines} | ${md(f.summary)} | ${f.command ? code(options.redact ? redact(f.command) : f.command, true) : ''} |`);
    out.push('');
  }
  if (summary.attention.length > 0) {
    out.push('## Machines not ready or unknown', '', '| Machine | Readiness | First cause | Fix |', '|---|---|---|---|');
    for (const m of summary.attention) {
      out.push(`| ${md(m.name)} | ${READINESS_LABEL[m.readiness]} | ${m.cause ? `${code(m.cause.ruleId, true)} ${md(clip(m.cause.message, 200))}` : ''} | ${m.cause?.fix ? md(m.cause.fix.summary) : ''} |`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
