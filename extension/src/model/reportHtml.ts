/**
 * The report webview's HTML, rendered in the extension host so escaping is tested here: every string
 * that came from an input goes through escapeHtml (text and attributes alike). The page loads one
 * nonce'd script and one stylesheet from the extension; the CSP allows nothing else.
 */
import { basename } from 'node:path';
import { redact } from '../../../core/text/redact';
import { CATEGORY_ORDER, CATEGORY_TITLES, type Finding, type Status } from '../../../core/model/types';
import { STATUS_RANK, STATUS_WORDS, summaryText, worst } from './status';
import type { AnalysisTarget } from './target';

export interface PageResources {
  /** webview.cspSource */
  cspSource: string;
  /** 128 bits from crypto.randomBytes, base64. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export interface ReportPageOptions {
  redact: boolean;
  /** Run buttons appear only in a trusted workspace. */
  trusted: boolean;
  /** The page opens scrolled to this rule's finding (the fleet view's findings). */
  focusRuleId?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c]!);
}

export function contentSecurityPolicy(r: Pick<PageResources, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `img-src ${r.cspSource}`,
    `font-src ${r.cspSource}`,
    `style-src ${r.cspSource}`,
    `script-src 'nonce-${r.nonce}'`,
  ].join('; ');
}

const MARKS: Record<Status, string> = { pass: '✓', fail: '✗', warn: '!', skip: '–', error: '⚠' };

function statusTag(s: Status, slot = false): string {
  return `<span class="status status-${s}"${slot ? ' slot="decorations"' : ''}><span class="mark" aria-hidden="true">${MARKS[s]}</span> ${STATUS_WORDS[s][0]}</span>`;
}

function page(title: string, body: string, r: PageResources, focusRuleId?: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(r))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(r.styleUri)}">
<title>${escapeHtml(title)}</title>
</head>
<body${focusRuleId ? ` data-focus-rule="${escapeHtml(focusRuleId)}"` : ''}>
${body}
<script nonce="${escapeHtml(r.nonce)}" src="${escapeHtml(r.scriptUri)}"></script>
</body>
</html>
`;
}

function ruleSection(f: Finding, show: (s: string) => string, options: ReportPageOptions): string {
  const e = (s: string): string => escapeHtml(show(s));
  const rule = escapeHtml(f.ruleId);
  const evidence = f.evidence.length
    ? `<h4>Evidence</h4><ul class="evidence">${f.evidence.map((ev, i) => {
      const where = ev.path ? `${basename(ev.path)}${ev.line !== undefined ? `:${ev.line}` : ''}` : ev.source;
      const link = ev.path
        ? `<a href="#" data-action="openEvidence" data-rule="${rule}" data-index="${i}" title="${e(ev.path)}">${e(where)}</a>`
        : `<span>${e(where)}</span>`;
      return `<li>${link}${ev.excerpt ? ` <code>${e(ev.excerpt)}</code>` : ''}</li>`;
    }).join('')}</ul>`
    : '';
  const fix = f.fix && f.status !== 'pass' && f.status !== 'skip'
    ? `<h4>Fix</h4><p>${e(f.fix.summary)}</p>${f.fix.commands.map((c, i) => `<div class="command"><pre><code>${escapeHtml(c.command)}</code></pre><div class="command-actions"><span class="shell">${escapeHtml(c.shell)}</span><vscode-button secondary data-action="copyFix" data-rule="${rule}" data-index="${i}">Copy</vscode-button>${options.trusted ? `<vscode-button secondary data-action="runFix" data-rule="${rule}" data-index="${i}">Run in terminal…</vscode-button>` : ''}</div></div>`).join('')}`
    : '';
  const missing = f.status === 'skip' && f.missing?.length ? `<p class="muted">Needs: ${f.missing.map((m) => `<code>${escapeHtml(m)}</code>`).join(', ')}</p>` : '';
  const open = f.status === 'fail' || f.status === 'error' || f.status === 'warn';
  return `<details class="rule rule-${f.status}"${open ? ' open' : ''} data-rule="${rule}">
<summary><span class="rule-title">${escapeHtml(f.title)}</span> <code class="rule-id">${rule}</code>${statusTag(f.status)}</summary>
<div class="rule-body">
<p class="message">${e(f.message)}</p>
${missing}${evidence}${fix}
<p class="docs"><a href="#" data-action="openDocs" data-rule="${rule}">About this check</a></p>
</div>
</details>`;
}

/** A section of rules (a category, or the skipped ones) as a collapsible, open when it holds a problem. */
function section(heading: string, findings: readonly Finding[], show: (s: string) => string, options: ReportPageOptions, cls: string): string {
  const counts = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const f of findings) counts[f.status]++;
  const w = worst(findings.map((f) => f.status))!;
  const open = w === 'fail' || w === 'error' || w === 'warn';
  return `<vscode-collapsible class="${cls}" heading="${escapeHtml(heading)}" description="${escapeHtml(summaryText(counts))}"${open ? ' open' : ''}>
${statusTag(w, true)}
<div class="section-body">${findings.map((f) => ruleSection(f, show, options)).join('\n')}</div>
</vscode-collapsible>`;
}

export function renderReportPage(target: AnalysisTarget, r: PageResources, options: ReportPageOptions): string {
  const show = (s: string): string => (options.redact ? redact(s) : s);
  const e = (s: string): string => escapeHtml(show(s));
  const { report } = target;
  const t = report.target;
  const facts = [
    t?.machine ? `Machine <strong>${e(t.machine)}</strong>` : '',
    t?.os ? `OS ${e(t.os)}` : '',
    t?.agentVersion ? `Agent ${e(t.agentVersion)}` : '',
    t?.timeRange ? `Logs ${e(t.timeRange.from)} – ${e(t.timeRange.to)}` : '',
    `Analysed ${escapeHtml(target.analyzedAt)}`,
  ].filter(Boolean).join(' · ');
  const counts = (['fail', 'error', 'warn', 'pass', 'skip'] as const)
    .map((s) => `<span class="count count-${s}${report.summary[s] === 0 ? ' count-zero' : ''}"><vscode-badge variant="counter">${report.summary[s]}</vscode-badge> ${STATUS_WORDS[s][report.summary[s] === 1 ? 0 : 1]}</span>`).join('');
  const inputs = report.inputs.length
    ? `<section class="inputs"><h2>Inputs</h2><ul>${report.inputs.map((i) => `<li class="input-${i.status}"><code>${e(i.path)}</code> ${i.status === 'parsed' ? escapeHtml(i.label ?? i.kind ?? '') : `<strong>${i.status === 'error' ? 'unusable' : 'not recognized'}</strong>`}${i.messages.length ? `<div class="muted">${i.messages.map(e).join('<br>')}</div>` : ''}</li>`).join('')}</ul></section>`
    : '';
  const notes = [...(t?.notes ?? []), ...(t?.filesMissing?.length ? [`Missing from the bundle: ${t.filesMissing.join(', ')}`] : [])];
  const notesHtml = notes.length ? `<section class="notes"><h2>Notes</h2><ul>${notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul></section>` : '';
  const checked = report.results.filter((f) => f.status !== 'skip');
  const skipped = report.results.filter((f) => f.status === 'skip');
  const categories = CATEGORY_ORDER.map((c) => {
    const list = checked.filter((f) => f.category === c).sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status]);
    return list.length ? section(CATEGORY_TITLES[c], list, show, options, 'category') : '';
  }).join('\n');
  const skippedHtml = skipped.length
    ? `${section(`Not checked (${skipped.length})`, skipped, show, options, 'skipped')}<p class="muted skipped-note">Checks are skipped when the inputs lack the facts they need; each names the outputs that supply them.</p>`
    : '';
  const body = `<header>
<h1>${e(target.label)}</h1>
<p class="facts">${facts}</p>
<p class="summary" aria-label="${escapeHtml(summaryText(report.summary))}">${counts}</p>
<div class="actions"><vscode-button data-action="copySummary">Copy summary for ticket</vscode-button><vscode-button secondary data-action="rerun">Re-run</vscode-button></div>
</header>
<main>
<h2>Checks</h2>
${categories}
${skippedHtml}
${notesHtml}
${inputs}
</main>`;
  // Only a rule this report has: the script looks the value up as a data-rule attribute.
  const focus = options.focusRuleId && report.results.some((f) => f.ruleId === options.focusRuleId) ? options.focusRuleId : undefined;
  return page(`WAC Doctor: ${show(target.label)}`, body, r, focus);
}

export function renderEmptyPage(r: PageResources): string {
  return page('WAC Doctor', '<main class="empty"><p>No results yet. Run checks on this machine, or analyze a logs bundle or pasted output.</p></main>', r);
}

/** Messages the report page may send; anything else is ignored. */
export type PageMessage =
  | { type: 'copySummary' | 'rerun' }
  | { type: 'openDocs'; ruleId: string }
  | { type: 'openEvidence' | 'copyFix' | 'runFix'; ruleId: string; index: number }
  | { type: 'cspViolation'; detail: string };

export function parsePageMessage(raw: unknown): PageMessage | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const m = raw as Record<string, unknown>;
  const ruleOk = typeof m.ruleId === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(m.ruleId);
  const indexOk = typeof m.index === 'number' && Number.isInteger(m.index) && m.index >= 0 && m.index < 1000;
  switch (m.type) {
    case 'copySummary': case 'rerun': return { type: m.type };
    case 'openDocs': return ruleOk ? { type: 'openDocs', ruleId: m.ruleId as string } : undefined;
    case 'openEvidence': case 'copyFix': case 'runFix':
      return ruleOk && indexOk ? { type: m.type, ruleId: m.ruleId as string, index: m.index as number } : undefined;
    case 'cspViolation': return { type: 'cspViolation', detail: String(m.detail ?? '').slice(0, 500) };
    default: return undefined;
  }
}
