/**
 * SARIF 2.1.0 for CI and GitHub code scanning.
 *
 * - Every rule of the catalog is a `reportingDescriptor` (GitHub needs shortDescription,
 *   fullDescription and help.text on each).
 * - One result per finding except rule crashes (`error`), which are tool execution notifications.
 *   kind/level: fail -> fail/error, warn -> fail/warning, pass -> pass/none, skip -> open/none when
 *   facts were missing, notApplicable/none otherwise (SARIF: level must be none unless kind is fail).
 * - Locations: the first file evidence with a line becomes a physicalLocation + region. Otherwise a
 *   logical location `wac-doctor/<rule>` plus, whenever any input path is known, a physicalLocation
 *   at line 1 of the first file evidence or the first input: GitHub rejects results without a location
 *   and only displays those with physicalLocation + region.
 */
import { createHash } from 'node:crypto';
import type { RenderOptions, Reporter } from './index';
import type { Report } from '../report';
import { redactDeep } from '../redact';
import { docsUrlFor, type Rule } from '../rule';
import type { Evidence, Finding, Status } from '../types';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/wac-doctor/wac-doctor';
export const FINGERPRINT_KEY = 'wacDoctor/v1';

type Json = Record<string, unknown>;

/** `incoming-ports` -> `IncomingPorts`. */
export function pascalCase(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/** Markdown to plain text, good enough for rule descriptions: links keep their URL, emphasis and code marks go. */
export function markdownToText(md: string): string {
  return md
    .replace(/!?\[([^\]]*)\]\(([^)\s]+)\)/g, (_m, text: string, url: string) => (text && text !== url ? `${text} (${url})` : url))
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\s][^*_]*?)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`+([^`]+?)`+/g, '$1')
    .replace(/^#{1,6}\s+/gm, '');
}

export function firstParagraph(md: string): string {
  const para = md.trim().split(/\n\s*\n/)[0] ?? '';
  return para.replace(/\s*\n\s*/g, ' ').trim();
}

const isDrivePath = (p: string): boolean => /^[A-Za-z]:\//.test(p);
const encodeSegments = (p: string): string => p.split('/').map((s) => encodeURIComponent(s)).join('/');

/**
 * An artifact URI for an evidence path: backslashes become `/`; an absolute path under `cwd` becomes
 * relative to it (what GitHub needs: repository-relative), any other absolute path a file:// URI.
 */
export function artifactUri(path: string, cwd: string = process.cwd()): string {
  let p = path.replace(/\\/g, '/');
  const base = cwd.replace(/\\/g, '/').replace(/\/?$/, '/');
  const drive = isDrivePath(p);
  const under = drive ? p.toLowerCase().startsWith(base.toLowerCase()) : p.startsWith(base);
  if ((drive || p.startsWith('/')) && base !== '/' && under) p = p.slice(base.length);
  if (isDrivePath(p)) return `file:///${p.slice(0, 2)}${encodeSegments(p.slice(2))}`;
  if (p.startsWith('//')) return `file:${encodeSegments(p)}`; // UNC: //server/share/...
  if (p.startsWith('/')) return `file://${encodeSegments(p)}`;
  return encodeSegments(p.replace(/^(\.\/)+/, ''));
}

/** Evidence that points into a file (pasted input or bundle entry), not a live probe. */
const isFileEvidence = (e: Evidence): e is Evidence & { path: string } => e.path !== undefined && e.path !== '' && e.source !== 'live';

function descriptor(rule: Rule): Json {
  const m = rule.meta;
  const plain = markdownToText(m.description.trim());
  const refsText = m.references.length > 0 ? `\n\nReferences:\n${m.references.map((r) => `- ${r}`).join('\n')}` : '';
  const refsMd = m.references.length > 0 ? `\n\n**References**\n\n${m.references.map((r) => `- <${r}>`).join('\n')}` : '';
  return {
    id: m.id,
    name: pascalCase(m.id),
    shortDescription: { text: m.title },
    fullDescription: { text: markdownToText(firstParagraph(m.description)) || m.title },
    help: { text: `${plain}${refsText}`, markdown: `${m.description.trim()}${refsMd}` },
    helpUri: docsUrlFor(m.id),
    defaultConfiguration: { level: m.severity === 'fail' ? 'error' : 'warning' },
    properties: { tags: [m.category] },
  };
}

/** A descriptor for a finding whose rule is not in the catalog, so ruleIndex always resolves. */
function descriptorFromFinding(f: Finding): Json {
  return {
    id: f.ruleId,
    name: pascalCase(f.ruleId),
    shortDescription: { text: f.title },
    fullDescription: { text: f.title },
    help: { text: `${f.title}\n\nSee ${f.docsUrl}`, markdown: `${f.title}\n\nSee <${f.docsUrl}>` },
    helpUri: f.docsUrl,
    properties: { tags: [f.category] },
  };
}

function kindAndLevel(f: Finding): { kind: string; level: string } {
  switch (f.status as Exclude<Status, 'error'>) {
    case 'fail': return { kind: 'fail', level: 'error' };
    case 'warn': return { kind: 'fail', level: 'warning' };
    case 'pass': return { kind: 'pass', level: 'none' };
    case 'skip': return { kind: f.missing && f.missing.length > 0 ? 'open' : 'notApplicable', level: 'none' };
  }
}

function physical(uri: string, startLine: number): Json {
  return { physicalLocation: { artifactLocation: { uri }, region: { startLine } } };
}

function locationsFor(f: Finding, fallbackPath: string | undefined, cwd: string): Json[] {
  const files = f.evidence.filter(isFileEvidence);
  const withLine = files.find((e) => e.line !== undefined && Number.isInteger(e.line) && e.line >= 1);
  if (withLine) return [physical(artifactUri(withLine.path, cwd), withLine.line!)];
  const loc: Json = { logicalLocations: [{ kind: 'resource', fullyQualifiedName: `wac-doctor/${f.ruleId}` }] };
  const path = files[0]?.path ?? fallbackPath;
  if (path !== undefined) Object.assign(loc, physical(artifactUri(path, cwd), 1));
  return [loc];
}

function fingerprint(f: Finding): string {
  const e = f.evidence[0];
  return createHash('sha256').update(`${f.ruleId}|${e?.path ?? ''}|${e?.line ?? ''}`).digest('hex');
}

export function toSarif(input: Report, options: RenderOptions, cwd: string = process.cwd()): Json {
  const report = options.redact ? redactDeep(input) : input;
  const rules: Json[] = options.rules.map(descriptor);
  const index = new Map<string, number>();
  options.rules.forEach((r, i) => { if (!index.has(r.meta.id)) index.set(r.meta.id, i); });
  const indexOf = (f: Finding): number => {
    let i = index.get(f.ruleId);
    if (i === undefined) {
      i = rules.push(descriptorFromFinding(f)) - 1;
      index.set(f.ruleId, i);
    }
    return i;
  };

  const inputPaths = [...report.inputs.filter((i) => i.status === 'parsed'), ...report.inputs.filter((i) => i.status !== 'parsed')]
    .map((i) => i.path).filter((p) => p !== '');
  const fallbackPath = inputPaths[0];

  const results: Json[] = [];
  const notifications: Json[] = [];
  for (const f of report.results) {
    const ruleIndex = indexOf(f);
    if (f.status === 'error') {
      notifications.push({ level: 'error', message: { text: f.message }, associatedRule: { id: f.ruleId, index: ruleIndex } });
      continue;
    }
    const properties: Json = { status: f.status, category: f.category };
    if (f.fix) properties.fix = { summary: f.fix.summary, commands: f.fix.commands.map((c) => ({ shell: c.shell, command: c.command })) };
    if (f.missing && f.missing.length > 0) properties.missing = [...f.missing];
    results.push({
      ruleId: f.ruleId,
      ruleIndex,
      ...kindAndLevel(f),
      message: { text: f.fix ? `${f.message} Fix: ${f.fix.summary}` : f.message },
      locations: locationsFor(f, fallbackPath, cwd),
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f) },
      properties,
    });
  }
  for (const i of report.inputs) {
    if (i.status === 'parsed') continue;
    const text = i.messages.length > 0 ? i.messages.join(' ') : `${i.path}: ${i.status === 'error' ? 'could not be read' : 'not recognized'}`;
    notifications.push({
      level: i.status === 'error' ? 'warning' : 'note',
      message: { text },
      locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(i.path, cwd) } } }],
    });
  }

  const invocation: Json = { executionSuccessful: true, endTimeUtc: report.generatedAt };
  if (notifications.length > 0) invocation.toolExecutionNotifications = notifications;

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: report.tool.name, version: report.tool.version, informationUri: INFORMATION_URI, rules } },
      invocations: [invocation],
      results,
    }],
  };
}

export const renderSarif: Reporter = (report: Report, options: RenderOptions): string =>
  JSON.stringify(toSarif(report, options), null, 2) + '\n';
