/**
 * The HTML reporter: the report page the VS Code extension's webview shows (the webview renders this model; it
 * only adds the page's resources and handles its messages). Every string that came from an input goes through
 * escapeHtml (text and attributes alike). The page loads one nonce'd script and one stylesheet; the CSP allows
 * nothing else. Statuses are shown per core/model/status, as in every other reporter.
 */
import { basename } from 'node:path';
import { redact } from '../text/redact';
import type { Report } from '../model/report';
import { countStatuses, isProblem, SEVERITY_RANK, STATUS_MARKS, STATUS_WORDS, STATUSES, summaryLine, worst, type StatusCounts } from '../model/status';
import { CATEGORY_ORDER, CATEGORY_TITLES, type Finding, type Status } from '../model/types';

/** What the page shows a report as: its title and when it was analysed. */
export interface HtmlTarget {
  label: string;
  /** ISO 8601. */
  analyzedAt: string;
  report: Report;
}

/** Zero counts left out, ` · ` between: the page's headings and its summary's accessible name. */
const countsText = (s: StatusCounts): string => summaryLine(s, { separator: ' · ', omitZero: true });

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

function statusTag(s: Status, slot = false): string {
  return `<span class="status status-${s}"${slot ? ' slot="decorations"' : ''}><span class="mark" aria-hidden="true">${STATUS_MARKS[s]}</span> ${STATUS_WORDS[s][0]}</span>`;
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
    ? `<h4>Fix</h4><p>${e(f.fix.summary)}</p>${f.fix.commands.map((c, i) => `<div class="command"><pre><code>${escapeHtml(c.command)}</code></pre><div class="command-actions"><span class="shell">${escapeHtml(c.shell)}${c.destructive ? ' <strong class="destructive">DESTRUCTIVE</strong>' : ''}</span><vscode-button secondary data-action="copyFix" data-rule="${rule}" data-index="${i}">Copy</vscode-button>${options.trusted ? `<vscode-button secondary data-action="runFix" data-rule="${rule}" data-index="${i}">Run in terminal…</vscode-button>` : ''}</div></div>`).join('')}`
    : '';
  const missing = f.status === 'skip' && f.missing?.length ? `<p class="muted">Needs: ${f.missing.map((m) => `<code>${escapeHtml(m)}</code>`).join(', ')}</p>` : '';
  const open = isProblem(f);
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
  const counts = countStatuses(findings);
  const w = worst(findings.map((f) => f.status))!;
  const open = isProblem(w);
  return `<vscode-collapsible class="${cls}" heading="${escapeHtml(heading)}" description="${escapeHtml(countsText(counts))}"${open ? ' open' : ''}>
${statusTag(w, true)}
<div class="section-body">${findings.map((f) => ruleSection(f, show, options)).join('\n')}</div>
</vscode-collapsible>`;
}

export function renderReportPage(target: HtmlTarget, r: PageResources, options: ReportPageOptions): string {
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
  const counts = STATUSES
    .map((s) => `<span class="count count-${s}${report.summary[s] === 0 ? ' count-zero' : ''}"><vscode-badge variant="counter">${report.summary[s]}</vscode-badge> ${STATUS_WORDS[s][report.summary[s] === 1 ? 0 : 1]}</span>`).join('');
  const inputs = report.inputs.length
    ? `<section class="inputs"><h2>Inputs</h2><ul>${report.inputs.map((i) => `<li class="input-${i.status}"><code>${e(i.path)}</code> ${i.status === 'parsed' ? escapeHtml(i.label ?? i.kind ?? '') : `<strong>${i.status === 'error' ? 'unusable' : 'not recognized'}</strong>`}${i.messages.length ? `<div class="muted">${i.messages.map(e).join('<br>')}</div>` : ''}</li>`).join('')}</ul></section>`
    : '';
  const notes = [...(t?.notes ?? []), ...(t?.filesMissing?.length ? [`Missing from the bundle: ${t.filesMissing.join(', ')}`] : [])];
  const notesHtml = notes.length ? `<section class="notes"><h2>Notes</h2><ul>${notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul></section>` : '';
  const checked = report.results.filter((f) => f.status !== 'skip');
  const skipped = report.results.filter((f) => f.status === 'skip');
  const categories = CATEGORY_ORDER.map((c) => {
    const list = checked.filter((f) => f.category === c).sort((a, b) => SEVERITY_RANK[a.status] - SEVERITY_RANK[b.status]);
    return list.length ? section(CATEGORY_TITLES[c], list, show, options, 'category') : '';
  }).join('\n');
  const skippedHtml = skipped.length
    ? `${section(`Not checked (${skipped.length})`, skipped, show, options, 'skipped')}<p class="muted skipped-note">Checks are skipped when the inputs lack the facts they need; each names the outputs that supply them.</p>`
    : '';
  const body = `<header>
<h1>${e(target.label)}</h1>
<p class="facts">${facts}</p>
<p class="summary" aria-label="${escapeHtml(countsText(report.summary))}">${counts}</p>
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
