/** Renders the rule catalog (rules, explain, README and docs/rules/*.md) from rule metadata alone. */
import { docsUrlFor, type Rule } from '../engine/rule';
import { CATEGORY_ORDER, CATEGORY_TITLES, SHELL_LABELS, type Fix } from '../model/types';
import { fixExample } from './fix-examples';
import { markdownToText } from '../text/markdown-text';

export interface CatalogEntry {
  id: string;
  title: string;
  category: string;
  severity: 'fail' | 'warn';
  description: string;
  docsUrl: string;
  references: string[];
  requires: string[];
  anyOf: string[][];
  optional: string[];
  appliesTo: string[];
  /** The fixes the rule can propose, with <placeholders> where the inputs fill in values. */
  fixes: Fix[];
}

export function catalogEntries(rules: readonly Rule[]): CatalogEntry[] {
  return rules.map(({ meta }) => ({
    id: meta.id, title: meta.title, category: meta.category, severity: meta.severity, description: meta.description,
    docsUrl: docsUrlFor(meta.id), references: meta.references, requires: meta.requires, anyOf: meta.anyOf ?? [],
    optional: meta.optional ?? [], appliesTo: meta.appliesTo, fixes: proposedFixes({ meta } as Rule),
  }));
}

function byCategory(rules: readonly Rule[]): Array<[string, Rule[]]> {
  return CATEGORY_ORDER.map((c) => [CATEGORY_TITLES[c], rules.filter((r) => r.meta.category === c)] as [string, Rule[]]).filter(([, list]) => list.length > 0);
}

export function catalogText(rules: readonly Rule[]): string {
  const width = Math.max(...rules.map((r) => r.meta.id.length));
  const out: string[] = [];
  for (const [title, list] of byCategory(rules)) {
    out.push(title);
    for (const r of list) out.push(`  ${r.meta.id.padEnd(width)}  ${r.meta.severity === 'fail' ? 'fail' : 'warn'}  ${r.meta.title}`);
    out.push('');
  }
  out.push(`${rules.length} rules. Details: wac-doctor explain <rule-id>`);
  return out.join('\n') + '\n';
}

const requirementText = (r: Rule): string => {
  const parts = [...r.meta.requires.map((n) => `\`${n}\``), ...(r.meta.anyOf ?? []).map((g) => `one of ${g.map((n) => `\`${n}\``).join(', ')}`)];
  return parts.length ? parts.join('; ') : 'none';
};

/** The catalog fixes a rule names, built with nothing known: every value the inputs would supply is a <placeholder>. */
export function proposedFixes(rule: Rule): Fix[] {
  return (rule.meta.fixes ?? []).map(fixExample);
}

const FIXES_NOTE = 'Values in <angle brackets> are filled from the inputs when they state them; which fix is proposed depends on what failed.';

function fixesText(rule: Rule): string[] {
  const list = proposedFixes(rule);
  if (list.length === 0) return [];
  const out = ['', 'Fixes it can propose:'];
  for (const f of list) {
    out.push(`  ${f.summary}`);
    for (const c of f.commands) out.push(`    ${SHELL_LABELS[c.shell]}: ${c.command.split('\n').join('\n      ')}`);
  }
  out.push(`  (${FIXES_NOTE})`);
  return out;
}

function fixesMarkdown(rule: Rule): string[] {
  const list = proposedFixes(rule);
  if (list.length === 0) return [];
  const out = ['', '## Fixes it can propose', '', FIXES_NOTE.replace('<angle brackets>', '`<angle brackets>`')];
  for (const f of list) {
    out.push('', `- ${f.summary.replace(/</g, '\\<')}`);
    for (const c of f.commands) out.push('', `  ${SHELL_LABELS[c.shell]}:`, '', '  ```' + (c.shell === 'bash' ? 'bash' : 'powershell'), ...c.command.split('\n').map((l) => `  ${l}`), '  ```');
  }
  return out;
}

export function explainText(rule: Rule): string {
  const m = rule.meta;
  return [
    `${m.id}: ${m.title}`,
    `Category: ${CATEGORY_TITLES[m.category]}   Fails as: ${m.severity}   Sources: ${m.appliesTo.join(', ')}`,
    '',
    markdownToText(m.description),
    ...fixesText(rule),
    '',
    `Needs: ${requirementText(rule).replace(/`/g, '')}`,
    ...(m.optional?.length ? [`Also reads: ${m.optional.join(', ')}`] : []),
    `Docs: ${docsUrlFor(m.id)}`,
    ...m.references.map((u) => `See also: ${u}`),
    '',
  ].join('\n');
}

export function explainMarkdown(rule: Rule): string {
  const m = rule.meta;
  return [
    `# ${m.id}`,
    '',
    `**${m.title}**`,
    '',
    `| | |`, `|---|---|`,
    `| Category | ${CATEGORY_TITLES[m.category]} |`,
    `| Status when the check fails | \`${m.severity}\` |`,
    `| Sources | ${m.appliesTo.join(', ')} |`,
    `| Needs | ${requirementText(rule)} |`,
    ...(m.optional?.length ? [`| Also reads | ${m.optional.map((n) => `\`${n}\``).join(', ')} |`] : []),
    '',
    m.description,
    ...fixesMarkdown(rule),
    '',
    '## References',
    '',
    ...m.references.map((u) => `- <${u}>`),
    '',
    `_Generated from the rule's metadata (\`rules/${m.id}.ts\`) by \`npm run docs\`._`,
    '',
  ].join('\n');
}

/** The README's rule table. */
export function catalogMarkdownTable(rules: readonly Rule[]): string {
  const out: string[] = ['| Rule | Category | Fails as | Checks |', '|---|---|---|---|'];
  for (const [title, list] of byCategory(rules)) {
    for (const r of list) out.push(`| [\`${r.meta.id}\`](docs/rules/${r.meta.id}.md) | ${title} | ${r.meta.severity} | ${r.meta.title} |`);
  }
  return out.join('\n') + '\n';
}
