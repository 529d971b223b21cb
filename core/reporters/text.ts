/**
 * Human output in the style of `flutter doctor` / `brew doctor`: problems first (fail, warn, error) with their
 * rule ids and details, passes one line per category (each check with --verbose), skips counted (listed with
 * --verbose), a summary and a verdict. Order: core/model/order, shared by every reporter.
 */
import { commandsByShell, hasOwnName, isMultiReport, TARGET_KIND_LABEL, targetName, type RenderOptions, type Reporter } from './index';
import type { InputSummary, MultiReport, Report, TargetSummary } from '../model/report';
import { isProblem, orderFindings } from '../model/order';
import { redactDeep } from '../text/redact';
import { visible } from '../text/visible';
import { CATEGORY_ORDER, CATEGORY_TITLES, type Category, type Finding, type Status } from '../model/types';

const ESC = '\u001b[';
type Style = 'red' | 'yellow' | 'green' | 'dim' | 'bold';
const CODES: Record<Style, [number, number]> = { red: [31, 39], yellow: [33, 39], green: [32, 39], dim: [2, 22], bold: [1, 22] };

const GLYPH: Record<Status, string> = { pass: '[✓]', warn: '[!]', fail: '[✗]', error: '[☠]', skip: '[?]' };
const GLYPH_STYLE: Record<Status, Style> = { pass: 'green', warn: 'yellow', fail: 'red', error: 'red', skip: 'dim' };

const INDENT = '    ';

type Paint = (style: Style, s: string) => string;

export const renderText: Reporter = (input: Report | MultiReport, options: RenderOptions): string => {
  const paint: Paint = (style, s) => (options.color ? `${ESC}${CODES[style][0]}m${s}${ESC}${CODES[style][1]}m` : s);
  if (isMultiReport(input)) return renderMulti(options.redact ? redactDeep(input) : input, options, paint);
  const report = options.redact ? redactDeep(input) : input;
  const out: string[] = [];
  out.push(paint('bold', `WAC Doctor ${report.tool.version}`) + ` (${report.tool.name}) · ${plural(report.inputs.length, 'input')} · ${report.generatedAt}`);
  out.push(...body(report, options, paint));
  return out.join('\n') + '\n';
};

/** Everything after the header line: target, inputs, checks by category, summary, verdict. */
function body(report: Report, options: RenderOptions, paint: Paint): string[] {
  const out: string[] = [];
  if (report.target) out.push('', ...targetBlock(report.target));

  const unused = report.inputs.filter((i) => i.status !== 'parsed');
  if (unused.length > 0) {
    out.push('', paint('bold', 'Inputs not used'));
    for (const i of unused) {
      const status: Status = i.status === 'error' ? 'fail' : 'warn';
      const what = i.status === 'error' ? `could not be read${i.label ? ` as ${i.label}` : ''}` : 'not recognized';
      out.push(`${paint(GLYPH_STYLE[status], GLYPH[status])} ${oneLine(i.path)}: ${what}`);
      for (const m of i.messages) out.push(indent(stripPathPrefix(m, i.path)));
    }
  }
  if (options.verbose) {
    const used = report.inputs.filter((i) => i.status === 'parsed');
    if (used.length > 0) {
      out.push('', paint('bold', 'Inputs used'));
      for (const i of used) {
        out.push(`${paint('green', '[✓]')} ${oneLine(i.path)}: ${i.label ?? i.kind ?? 'input'}, ${plural(i.facts, 'fact')}`);
        for (const m of i.messages) out.push(indent(stripPathPrefix(m, i.path)));
      }
    }
  }

  // Problems first (fail, warn, error), each with its rule id at the end as ESLint prints it, for `explain` and `--skip`.
  const ordered = orderFindings(report.results);
  const problems = ordered.filter(isProblem);
  if (problems.length > 0) {
    out.push('', paint('bold', 'Problems'));
    for (const f of problems) out.push(`${paint(GLYPH_STYLE[f.status], GLYPH[f.status])} ${headLine(f, paint)}`, ...details(f));
  }
  // Passes: one line per category, or each check with --verbose.
  const passes = ordered.filter((f) => f.status === 'pass');
  if (passes.length > 0) {
    out.push('', paint('bold', 'Passed'));
    for (const [category, findings] of byCategory(passes)) {
      const title = CATEGORY_TITLES[category] ?? oneLine(category);
      if (options.verbose) {
        out.push(`${title}:`);
        for (const f of findings) out.push(`${paint('green', GLYPH.pass)} ${headLine(f, paint)}`);
      } else {
        out.push(`${paint('green', GLYPH.pass)} ${title}: ${plural(findings.length, 'check')} (${findings.map((f) => oneLine(f.ruleId)).join(', ')})`);
      }
    }
  }
  if (options.verbose) {
    const skips = ordered.filter((f) => f.status === 'skip');
    if (skips.length > 0) {
      out.push('', paint('bold', 'Skipped'));
      for (const f of skips) out.push(paint('dim', `${GLYPH.skip} ${oneLine(f.title)} — ${oneLine(f.message)}  ${oneLine(f.ruleId)}`));
    }
  }

  const s = report.summary;
  const skipHint = !options.verbose && s.skip > 0 ? ' (use --verbose to list)' : '';
  out.push('', `Summary: ${s.fail} failed, ${plural(s.warn, 'warning')}, ${s.pass} passed, ${s.skip} skipped${skipHint}, ${plural(s.error, 'error')}`);
  out.push(verdict(report, paint));
  return out;
}

/**
 * What the report is about, e.g.
 * `Bundle: a.zip · machine SRV-WEB-07 · Windows Server 2022 · agent 1.45 · logs 2024-11-17T08:00:00Z … 2024-11-18T09:12:00Z`,
 * then `Files: 14 read; missing: … (checks that need them skip)` and one `Note:` line per note.
 */
export function targetBlock(t: TargetSummary): string[] {
  const label = TARGET_KIND_LABEL[t.kind] ?? oneLine(t.kind);
  const head = [hasOwnName(t) ? `${label}: ${oneLine(t.name)}` : label];
  if (t.machine !== undefined && t.machine !== t.name) head.push(`machine ${oneLine(t.machine)}`);
  if (t.os !== undefined) head.push(oneLine(t.os));
  if (t.agentVersion !== undefined) head.push(`agent ${oneLine(t.agentVersion)}`);
  if (t.timeRange !== undefined) head.push(`logs ${oneLine(t.timeRange.from)} … ${oneLine(t.timeRange.to)}`);
  const lines = [head.join(' · ')];
  const files: string[] = [];
  if (t.filesFound !== undefined) files.push(`${t.filesFound.length} read`);
  if (t.filesMissing !== undefined && t.filesMissing.length > 0) {
    files.push(`missing: ${t.filesMissing.map(oneLine).join(', ')} (checks that need ${t.filesMissing.length === 1 ? 'it' : 'them'} skip)`);
  }
  if (files.length > 0) lines.push(`Files: ${files.join('; ')}`);
  for (const n of t.notes ?? []) lines.push(`Note: ${oneLine(n)}`);
  return lines;
}

function renderMulti(multi: MultiReport, options: RenderOptions, paint: Paint): string {
  const n = multi.reports.length;
  const out: string[] = [paint('bold', `WAC Doctor ${multi.tool.version}`) + ` (${multi.tool.name}) · ${plural(n, 'target')} · ${multi.generatedAt}`];
  multi.reports.forEach((report, i) => {
    out.push('', paint('bold', `━━ Target ${i + 1} of ${n}: ${oneLine(targetName(report))} ━━`), ...body(report, options, paint));
  });

  out.push('', paint('bold', `Across ${plural(n, 'target')}`));
  const rows = multi.crossSummary.filter((r) => r.counts.fail + r.counts.warn + r.counts.error > 0);
  if (rows.length === 0) {
    out.push('No check failed or warned on any target.');
  } else {
    const table = [['Rule', 'Fail', 'Warn', 'Error', 'Targets'], ...rows.map((r) => [
      oneLine(r.ruleId), String(r.counts.fail), String(r.counts.warn), String(r.counts.error), r.failing.map(oneLine).join(', '),
    ])];
    const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => [...row[c]!].length)));
    for (const row of table) out.push(row.map((cell, c) => (c === row.length - 1 ? cell : cell + ' '.repeat(widths[c]! - [...cell].length))).join('  ').trimEnd());
  }
  const bad = multi.reports.filter((r) => r.summary.fail + r.summary.warn + r.summary.error > 0).length;
  const failing = multi.reports.some((r) => r.summary.fail + r.summary.error > 0);
  out.push('', bad === 0
    ? paint('green', `No problems found on ${plural(n, 'target')}.`)
    : paint(failing ? 'red' : 'yellow', `WAC Doctor found problems on ${bad} of ${plural(n, 'target')}.`));
  return out.join('\n') + '\n';
}

/** `Title — message  rule-id`: the id last and dimmed, as ESLint prints it. */
function headLine(f: Finding, paint: Paint): string {
  return `${oneLine(f.title)} — ${oneLine(f.message)}  ${paint('dim', oneLine(f.ruleId))}`;
}

function details(f: Finding): string[] {
  const lines: string[] = [];
  const located = f.evidence.filter((e) => e.path !== undefined || e.excerpt !== undefined);
  if (located.length > 0) {
    lines.push(`${INDENT}Evidence:`);
    for (const e of located) {
      const where = e.path !== undefined ? `${e.path}${e.line !== undefined ? `:${e.line}` : ''}` : `(${e.source})`;
      lines.push(`${INDENT}  ${oneLine(where)}${e.excerpt !== undefined ? `  ${oneLine(e.excerpt.trim())}` : ''}`);
    }
  }
  if (f.fix) {
    lines.push(`${INDENT}Fix: ${oneLine(f.fix.summary)}`);
    // The shell as a label above its commands; each command alone on its line, exactly as it is run.
    for (const group of commandsByShell(f.fix.commands)) {
      lines.push(`${INDENT}  ${oneLine(group.label)}:`);
      for (const c of group.commands) for (const line of c.command.split(/\r?\n/)) lines.push(`${INDENT}    ${oneLine(line)}`);
    }
  }
  if (f.missing && f.missing.length > 0) lines.push(`${INDENT}Missing: ${f.missing.map(oneLine).join(', ')}`);
  lines.push(`${INDENT}Docs: ${f.docsUrl}`);
  return lines;
}

function verdict(report: Report, paint: Paint): string {
  const categories = new Set(report.results.filter((f) => f.status === 'fail' || f.status === 'warn' || f.status === 'error').map((f) => f.category));
  if (categories.size > 0) {
    const style: Style = report.summary.fail > 0 || report.summary.error > 0 ? 'red' : 'yellow';
    return paint(style, `WAC Doctor found problems in ${plural(categories.size, 'category', 'categories')}.`);
  }
  if (report.conclusion) {
    const steps = report.conclusion.collect.map((c) => `${INDENT}${c.command}${INDENT}# ${c.why}${c.shell === 'azcli' ? ' (Azure CLI)' : ''}`);
    return [paint('yellow', report.conclusion.message), ...steps].join('\n');
  }
  if (report.summary.pass === 0) {
    return paint('yellow', 'No problems found, but no check could run: add more inputs (use --verbose to see what each check needs).');
  }
  return paint('green', 'No problems found.');
}

/** Findings grouped by category in CATEGORY_ORDER (unknown categories last), report order within each. */
export function byCategory(results: readonly Finding[]): Array<[Category, Finding[]]> {
  const groups = new Map<Category, Finding[]>();
  for (const f of results) {
    const list = groups.get(f.category);
    if (list) list.push(f);
    else groups.set(f.category, [f]);
  }
  const rank = (c: Category): number => {
    const i = CATEGORY_ORDER.indexOf(c);
    return i < 0 ? CATEGORY_ORDER.length : i;
  };
  return [...groups.entries()].sort((a, b) => rank(a[0]) - rank(b[0]));
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Input text on one line, control characters shown (`\x1b`), never passed to the terminal: core/text/visible. */
const oneLine = visible;

function indent(s: string): string {
  return `${INDENT}${oneLine(s)}`;
}

function stripPathPrefix(message: string, path: InputSummary['path']): string {
  return message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}
