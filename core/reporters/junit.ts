/**
 * JUnit XML (the Ant/Jenkins dialect CI systems read): one testsuite per target (named after it;
 * `wac-doctor` for pasted files) inside <testsuites> carrying the summed totals, one testcase per finding.
 * fail -> <failure type="fail">; warn -> <failure type="warn"> with --fail-on warn, else <system-out>;
 * error -> <error>; skip -> <skipped>; pass -> a plain testcase with the message in <system-out>.
 */
import { orderFindings } from '../model/order';
import { commandsByShell, isMultiReport, type RenderOptions, type Reporter } from './index';
import type { MultiReport, Report, TargetSummary } from '../model/report';
import { redactDeep } from '../text/redact';
import type { Finding } from '../model/types';

/** Characters XML 1.0 forbids (C0 controls except tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
// eslint-disable-next-line no-control-regex
const ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function stripIllegalXml(s: string): string {
  return s.replace(ILLEGAL, '');
}

export function escapeXmlText(s: string): string {
  return stripIllegalXml(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values: also quotes, and whitespace as character references so parsers keep it. */
export function escapeXmlAttr(s: string): string {
  return escapeXmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function attrs(pairs: Array<[string, string | number]>): string {
  return pairs.map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`).join('');
}

/** Ant's XSD wants a timestamp without zone or fraction; generatedAt is UTC. */
function antTimestamp(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 19);
}

function details(f: Finding): string {
  const lines: string[] = [f.message];
  const located = f.evidence.filter((e) => e.path !== undefined || e.excerpt !== undefined);
  if (located.length > 0) {
    lines.push('', 'Evidence:');
    for (const e of located) {
      const where = e.path !== undefined ? `${e.path}${e.line !== undefined ? `:${e.line}` : ''}` : `(${e.source})`;
      lines.push(`  ${where}${e.excerpt !== undefined ? `  ${e.excerpt.trim()}` : ''}`);
    }
  }
  if (f.fix) {
    lines.push('', `Fix: ${f.fix.summary}`);
    for (const group of commandsByShell(f.fix.commands)) lines.push(`  ${group.label}:`, ...group.commands.map((c) => `    ${c.command}`));
  }
  if (f.missing && f.missing.length > 0) lines.push('', `Missing: ${f.missing.join(', ')}`);
  lines.push('', `Docs: ${f.docsUrl}`);
  return lines.join('\n');
}

function skipMessage(f: Finding): string {
  if (f.missing && f.missing.length > 0) return `missing: ${f.missing.join(', ')} (${f.message})`;
  return /^not applicable\b/i.test(f.message) ? f.message : `not applicable: ${f.message}`;
}

interface Counts { tests: number; failures: number; errors: number; skipped: number }

function countsOf(report: Report, warnFails: boolean): Counts {
  return {
    tests: report.results.length,
    failures: report.results.filter((f) => f.status === 'fail' || (warnFails && f.status === 'warn')).length,
    errors: report.results.filter((f) => f.status === 'error').length,
    skipped: report.results.filter((f) => f.status === 'skip').length,
  };
}

/** Properties describing the target (what was analysed), each only when known. */
function targetProperties(t: TargetSummary): Array<[string, string]> {
  const props: Array<[string, string]> = [['target.kind', t.kind], ['target.name', t.name]];
  if (t.machine !== undefined) props.push(['target.machine', t.machine]);
  if (t.os !== undefined) props.push(['target.os', t.os]);
  if (t.agentVersion !== undefined) props.push(['target.agentVersion', t.agentVersion]);
  if (t.timeRange !== undefined) props.push(['target.timeRange', `${t.timeRange.from}/${t.timeRange.to}`]);
  if (t.filesFound !== undefined) props.push(['target.filesRead', String(t.filesFound.length)]);
  if (t.filesMissing !== undefined && t.filesMissing.length > 0) props.push(['target.filesMissing', t.filesMissing.join(', ')]);
  (t.notes ?? []).forEach((n, i) => props.push([`target.note.${i + 1}`, n]));
  return props;
}

/** One <testsuite> (indented two spaces) for one report: named after the target, tool name without one. */
function testsuite(report: Report, options: RenderOptions, qualifier?: string): string[] {
  const warnFails = options.failOn === 'warn';
  const counts = countsOf(report, warnFails);
  const name = report.tool.name;
  const out: string[] = [];
  out.push(`  <testsuite${attrs([
    ['name', report.target?.name ?? name], ['tests', counts.tests], ['failures', counts.failures], ['errors', counts.errors], ['skipped', counts.skipped],
    ['time', '0'], ['timestamp', antTimestamp(report.generatedAt)],
  ])}>`);
  out.push('    <properties>');
  out.push(`      <property${attrs([['name', 'wac-doctor.version'], ['value', report.tool.version]])}/>`);
  out.push(`      <property${attrs([['name', 'wac-doctor.failOn'], ['value', options.failOn]])}/>`);
  if (report.target) for (const [k, v] of targetProperties(report.target)) out.push(`      <property${attrs([['name', k], ['value', v]])}/>`);
  for (const i of report.inputs) {
    const what = i.status === 'parsed' ? `parsed as ${i.label ?? i.kind ?? 'input'}, ${i.facts} fact${i.facts === 1 ? '' : 's'}` : i.status;
    const msgs = i.messages.length > 0 ? `: ${i.messages.join(' ')}` : '';
    out.push(`      <property${attrs([['name', `input:${i.path}`], ['value', `${what}${msgs}`]])}/>`);
  }
  out.push('    </properties>');

  // With several targets the same rule id appears once per target: the classname says which one.
  const classPrefix = qualifier !== undefined ? `${name}.${qualifier}` : name;
  for (const f of orderFindings(report.results)) {
    const open = `    <testcase${attrs([['name', f.ruleId], ['classname', `${classPrefix}.${f.category}`], ['time', '0']])}`;
    const title = `${f.title}: ${f.message}`;
    switch (f.status) {
      case 'pass':
        out.push(`${open}>`, `      <system-out>${escapeXmlText(`${f.title}: ${f.message}`)}</system-out>`, '    </testcase>');
        break;
      case 'fail':
        out.push(`${open}>`, `      <failure${attrs([['message', title], ['type', 'fail']])}>${escapeXmlText(details(f))}</failure>`, '    </testcase>');
        break;
      case 'warn':
        out.push(`${open}>`);
        if (warnFails) out.push(`      <failure${attrs([['message', title], ['type', 'warn']])}>${escapeXmlText(details(f))}</failure>`);
        else out.push(`      <system-out>${escapeXmlText(`WARNING: ${f.title}\n${details(f)}`)}</system-out>`);
        out.push('    </testcase>');
        break;
      case 'error':
        out.push(`${open}>`, `      <error${attrs([['message', f.message], ['type', 'error']])}>${escapeXmlText(details(f))}</error>`, '    </testcase>');
        break;
      case 'skip':
        out.push(`${open}>`, `      <skipped${attrs([['message', skipMessage(f)]])}/>`, '    </testcase>');
        break;
    }
  }
  out.push('  </testsuite>');
  return out;
}

/** A classname segment per target: machine or file name, dots and odd characters folded to `-`, unique. */
function targetQualifiers(reports: readonly Report[]): string[] {
  const seen = new Map<string, number>();
  return reports.map((r) => {
    const t = r.target;
    const raw = t?.machine ?? (t ? t.name.split(/[\\/]/).filter(Boolean).pop() ?? t.name : 'pasted-inputs');
    let q = raw.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'target';
    const n = (seen.get(q) ?? 0) + 1;
    seen.set(q, n);
    if (n > 1) q = `${q}-${n}`;
    return q;
  });
}

export const renderJunit: Reporter = (input: Report | MultiReport, options: RenderOptions): string => {
  const redacted = options.redact ? redactDeep(input) : input;
  const reports = isMultiReport(redacted) ? redacted.reports : [redacted];
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const r of reports) {
    const c = countsOf(r, options.failOn === 'warn');
    total.tests += c.tests; total.failures += c.failures; total.errors += c.errors; total.skipped += c.skipped;
  }
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites${attrs([['name', redacted.tool.name], ['tests', total.tests], ['failures', total.failures], ['errors', total.errors], ['skipped', total.skipped], ['time', '0']])}>`);
  const qualifiers = reports.length > 1 ? targetQualifiers(reports) : [];
  reports.forEach((r, i) => out.push(...testsuite(r, options, qualifiers[i])));
  out.push('</testsuites>');
  return out.join('\n') + '\n';
};
