/**
 * A Markdown summary for a support ticket: the target, inputs, a table of problems, details with
 * evidence and fix commands, passed checks, skipped counts. A MultiReport gets one section per target
 * and a cross-target table. Every input-derived string is escaped so pasted
 * output can neither break the layout nor inject HTML.
 */
import { orderFindings } from '../model/order';
import { hasOwnName, isMultiReport, TARGET_KIND_LABEL, targetName, type RenderOptions, type Reporter } from './index';
import type { MultiReport, Report, Summary, TargetSummary } from '../model/report';
import { redactDeep } from '../text/redact';
import { CATEGORY_TITLES, SHELL_LABELS, type Finding, type Shell, type Status } from '../model/types';

const ICON: Record<Status, string> = { pass: '✓', fail: '✗', warn: '!', error: '☠', skip: '?' };
const LABEL: Record<Status, string> = { pass: 'Pass', fail: 'Fail', warn: 'Warning', error: 'Error', skip: 'Skipped' };
/** Fence language per shell; az commands are PowerShell command lines (quoted for PowerShell: core/catalog/fixes). */
export const FENCE_LANG: Record<Shell, string> = { powershell: 'powershell', bash: 'bash', azcli: 'powershell' };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Every line break a Markdown renderer (or a ticket system) might honour becomes `\n` first: CommonMark ends a
 * line at a lone `\r` too, and some renderers at U+2028/U+2029 or NEL. Escaping that only knew `\n` let a log
 * line with a lone `\r` leave its code span and start a heading or a link on a line of its own.
 */
export function normalizeBreaks(s: string): string {
  return s.replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n');
}

/**
 * Inline Markdown text: punctuation that starts emphasis, links, code or tables is backslash-escaped, `<` `>`
 * become entities, and bare URLs, `www.` names and e-mail addresses are kept from turning into links (GFM
 * autolinks them): input text never becomes a link.
 */
export function escapeMd(s: string): string {
  // A `<placeholder>` (fix texts: `<region>`, `<resource-group>`) becomes a code span, shown as written, where an
  // entity would read `&lt;region&gt;` in the plain text of a ticket; any other `<` `>` becomes an entity.
  const parts = s.split(PLACEHOLDER);
  if (parts.length > 1) return parts.map((p, i) => (i % 2 === 1 ? code(`<${p}>`) : escapeInline(p))).join('');
  return escapeInline(s);
}

/** The placeholders fix texts use (core/catalog/fixes): only these become code spans; `<b>` or `<script>` in input stay entities. */
const PLACEHOLDER = /<(cipher-suite|endpoint-uri|gateway-host|host|license-profile-uri|machine-name|machine-resource-id|port|process-name|provider-namespace|region|resource-group|service-name|subscription-id|user-or-group)>/;

function escapeInline(s: string): string {
  return normalizeBreaks(s)
    .replace(CONTROL, '')
    .replace(/\n/g, ' ')
    .replace(/[\\`*_[\]|~#]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/:\/\//g, '\\://')
    .replace(/@/g, '\\@')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/^(\s*)([-+=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** Table cell text: escapeMd already escapes `|` and removes newlines. */
const cell = escapeMd;

/** An inline code span that survives backticks, pipes (inside tables) and any line break in the text. */
export function code(s: string, inTable = false): string {
  let t = normalizeBreaks(s).replace(CONTROL, '').replace(/\n/g, ' ⏎ ');
  if (inTable) t = t.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || (t.startsWith(' ') && t.endsWith(' ') && t.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${t === '' ? ' ' : t}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in the content. */
export function codeBlock(s: string, lang: string): string {
  const t = normalizeBreaks(s).replace(CONTROL, '');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${t}\n${fence}`;
}

const ordered = orderFindings;

const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

function counts(s: Summary): string {
  return `${s.fail} failed · ${plural(s.warn, 'warning')} · ${plural(s.error, 'error')} · ${s.pass} passed · ${s.skip} skipped`;
}

function details(f: Finding, h: string): string[] {
  const out: string[] = ['', `${h} ${ICON[f.status]} ${escapeMd(f.title)} (${code(f.ruleId)})`, '', `**${LABEL[f.status]}** · ${escapeMd(CATEGORY_TITLES[f.category] ?? f.category)}`, '', escapeMd(f.message)];
  const located = f.evidence.filter((e) => e.path !== undefined || e.excerpt !== undefined);
  if (located.length > 0) {
    out.push('', '**Evidence**', '');
    for (const e of located) {
      const where = e.path !== undefined ? code(`${e.path}${e.line !== undefined ? `:${e.line}` : ''}`) : `_${e.source}_`;
      const excerpt = e.excerpt === undefined ? undefined : normalizeBreaks(e.excerpt).trim();
      if (excerpt === undefined || excerpt === '') out.push(`- ${where}`);
      else if (excerpt.includes('\n')) out.push(`- ${where}`, '', indentBlock(codeBlock(excerpt, 'text'), '  '), '');
      else out.push(`- ${where}: ${code(excerpt)}`);
    }
  }
  if (f.fix) {
    out.push('', `**Fix:** ${escapeMd(f.fix.summary)}`);
    for (const c of f.fix.commands) out.push('', `${escapeMd(SHELL_LABELS[c.shell] ?? c.shell)}:`, '', codeBlock(c.command, FENCE_LANG[c.shell] ?? ''));
  }
  if (f.missing && f.missing.length > 0) out.push('', `**Missing:** ${f.missing.map((m) => code(m)).join(', ')}`);
  out.push('', `Docs: <${f.docsUrl}>`);
  return out;
}

function indentBlock(s: string, prefix: string): string {
  return s.split('\n').map((l) => prefix + l).join('\n');
}

/** The short "Target" list: what was analysed. */
function targetSection(t: TargetSummary): string[] {
  const label = TARGET_KIND_LABEL[t.kind] ?? escapeMd(t.kind);
  const out: string[] = [hasOwnName(t) ? `- **${label}:** ${code(t.name)}` : `- **${label}**`];
  if (t.machine !== undefined && t.machine !== t.name) out.push(`- **Machine:** ${code(t.machine)}`);
  if (t.os !== undefined) out.push(`- **OS:** ${escapeMd(t.os)}`);
  if (t.agentVersion !== undefined) out.push(`- **Agent:** ${code(t.agentVersion)}`);
  if (t.timeRange !== undefined) out.push(`- **Logs:** ${escapeMd(t.timeRange.from)} … ${escapeMd(t.timeRange.to)}`);
  const files: string[] = [];
  if (t.filesFound !== undefined) files.push(`${t.filesFound.length} read`);
  if (t.filesMissing !== undefined && t.filesMissing.length > 0) {
    files.push(`missing: ${t.filesMissing.map((m) => code(m)).join(', ')} (checks that need ${t.filesMissing.length === 1 ? 'it' : 'them'} skip)`);
  }
  if (files.length > 0) out.push(`- **Files:** ${files.join('; ')}`);
  const notes = t.notes ?? [];
  if (notes.length > 0) out.push('- **Notes:**', ...notes.map((n) => `  - ${escapeMd(n)}`));
  return out;
}

/**
 * One report's sections. `level` is the heading level of its sections (3 for a single report, 4 inside a
 * MultiReport's per-target section); problem details sit one level below.
 */
function body(report: Report, options: RenderOptions, level: number): string[] {
  const h = '#'.repeat(level);
  const out: string[] = [];
  if (report.target) out.push('', `${h} Target`, '', ...targetSection(report.target));

  if (report.inputs.length > 0) {
    out.push('', `${h} Inputs`, '');
    for (const i of report.inputs) {
      if (i.status === 'parsed') {
        out.push(`- ${code(i.path)}: ${escapeMd(i.label ?? i.kind ?? 'input')}, ${plural(i.facts, 'fact')}`);
      } else {
        out.push(`- ${code(i.path)}: **${i.status === 'error' ? 'could not be read' : 'not recognized'}**`);
      }
      for (const m of i.messages) out.push(`  - ${escapeMd(m.startsWith(`${i.path}: `) ? m.slice(i.path.length + 2) : m)}`);
    }
  }

  const problems = ordered(report.results.filter((f) => f.status === 'fail' || f.status === 'warn' || f.status === 'error'));
  out.push('', `${h} Problems`, '');
  if (report.conclusion) {
    out.push(escapeMd(report.conclusion.message), '', ...report.conclusion.collect.map((c) => `- ${code(c.command)}: ${escapeMd(c.why)}`));
  } else if (problems.length === 0) {
    out.push('No problems found.');
  } else {
    out.push('| Status | Check | Finding |', '| --- | --- | --- |');
    for (const f of problems) {
      out.push(`| ${ICON[f.status]} ${LABEL[f.status]} | ${cell(f.title)} (${code(f.ruleId, true)}) | ${cell(f.message)} |`);
    }
    out.push('', `${h} Details`);
    for (const f of problems) out.push(...details(f, `${h}#`));
  }

  const passed = ordered(report.results.filter((f) => f.status === 'pass'));
  if (passed.length > 0) {
    out.push('', `${h} Passed (${passed.length})`, '');
    for (const f of passed) out.push(`- ✓ ${escapeMd(f.title)} (${code(f.ruleId)})`);
  }

  const skipped = ordered(report.results.filter((f) => f.status === 'skip'));
  if (skipped.length > 0) {
    out.push('', `${h} Skipped (${skipped.length})`, '');
    if (options.verbose) {
      for (const f of skipped) out.push(`- ? ${escapeMd(f.title)} (${code(f.ruleId)}): ${escapeMd(f.message)}`);
    } else {
      out.push(`${plural(skipped.length, 'check')} could not run or did not apply; run with \`--verbose\` to list them.`);
    }
  }
  return out;
}

function footer(s: Summary, options: RenderOptions): string[] {
  return ['', '---', '', `_${counts(s)}. ${options.redact ? 'Secrets in inputs were redacted.' : 'Redaction was off: review before sharing.'}_`];
}

function renderMulti(multi: MultiReport, options: RenderOptions): string {
  const n = multi.reports.length;
  const total: Summary = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const r of multi.reports) for (const k of Object.keys(total) as Status[]) total[k] += r.summary[k];
  const out: string[] = ['## WAC Doctor report', ''];
  out.push(`${multi.tool.name} ${multi.tool.version} · ${escapeMd(multi.generatedAt)} · ${plural(n, 'target')} · ${counts(total)}`);

  multi.reports.forEach((report, i) => {
    out.push('', `### Target ${i + 1} of ${n}: ${code(targetName(report))}`, '', counts(report.summary));
    out.push(...body(report, options, 4));
  });

  out.push('', `### Across ${plural(n, 'target')}`, '');
  const rows = multi.crossSummary.filter((r) => r.counts.fail + r.counts.warn + r.counts.error > 0);
  if (rows.length === 0) {
    out.push('No check failed or warned on any target.');
  } else {
    out.push('| Check | Fail | Warn | Error | Targets |', '| --- | --- | --- | --- | --- |');
    for (const r of rows) {
      out.push(`| ${cell(r.title)} (${code(r.ruleId, true)}) | ${r.counts.fail} | ${r.counts.warn} | ${r.counts.error} | ${r.failing.map((t) => code(t, true)).join(', ')} |`);
    }
  }
  out.push(...footer(total, options));
  return out.join('\n') + '\n';
}

export const renderMarkdown: Reporter = (input: Report | MultiReport, options: RenderOptions): string => {
  if (isMultiReport(input)) return renderMulti(options.redact ? redactDeep(input) : input, options);
  const report = options.redact ? redactDeep(input) : input;
  const out: string[] = ['## WAC Doctor report', ''];
  out.push(`${report.tool.name} ${report.tool.version} · ${escapeMd(report.generatedAt)} · ${counts(report.summary)}`);
  out.push(...body(report, options, 3));
  out.push(...footer(report.summary, options));
  return out.join('\n') + '\n';
};
