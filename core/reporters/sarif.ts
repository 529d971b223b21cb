/**
 * SARIF 2.1.0 for CI and GitHub code scanning.
 *
 * - Every rule of the catalog is a `reportingDescriptor` (GitHub needs shortDescription,
 *   fullDescription and help.text on each).
 * - By default one result per problem (fail, warn), `--sarif-all` adds passes and skips; rule crashes (`error`), which are tool execution notifications.
 *   kind/level: fail -> fail/error, warn -> fail/warning, pass -> pass/none, skip -> open/none when
 *   facts were missing, notApplicable/none otherwise (SARIF: level must be none unless kind is fail).
 * - Locations: the first file evidence with a line becomes a physicalLocation + region. Otherwise a
 *   logical location `wac-doctor/<rule>` plus, whenever any input path is known, a physicalLocation
 *   at line 1 of the first file evidence or the first input (never for skips, which have no evidence): GitHub rejects results without a location
 *   and only displays those with physicalLocation + region.
 * - Targets (conventions §5.3): bundle, folder and snapshot entries are relative URIs with
 *   `uriBaseId: "BUNDLE"`, run.originalUriBaseIds.BUNDLE the bundle's file URI; live findings use the
 *   logical location `<host>/<rule>` and invocation.machine = host. run.properties.target = the target.
 * - A MultiReport is one run per target, each with the same driver and its own automationDetails.id.
 */
import { isProblem, orderFindings } from '../model/order';
import { createHash } from 'node:crypto';
import { isMultiReport, type RenderOptions, type Reporter } from './index';
import type { MultiReport, Report, TargetSummary } from '../model/report';
import { redactDeep } from '../text/redact';
import { docsUrlFor, type Rule } from '../engine/rule';
import type { Evidence, Finding, Status } from '../model/types';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/wac-doctor/wac-doctor';
export const FINGERPRINT_KEY = 'wacDoctor/v1';
/** uriBaseId of bundle entries; run.originalUriBaseIds.BUNDLE is the bundle's location. */
export const BUNDLE_BASE_ID = 'BUNDLE';

type Json = Record<string, unknown>;

/** `incoming-ports` -> `IncomingPorts`. */
export function pascalCase(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

export { markdownToText } from '../text/markdown-text';
import { markdownToText } from '../text/markdown-text';

export function firstParagraph(md: string): string {
  const para = md.trim().split(/\n\s*\n/)[0] ?? '';
  return para.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Plain-text `message.text` (SARIF 2.1.0 §3.11.6): `[text](target)` is an embedded link viewers render, so
 * literal brackets from input are escaped as `\[` `\]` (and a backslash right before one as `\\`).
 */
export function sarifText(s: string): string {
  return s.replace(/\\(?=[[\]])/g, '\\\\').replace(/[[\]]/g, '\\$&');
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

/** How a run places file evidence: relative to the cwd (pasted files), inside a bundle, or on a live host. */
interface Placement {
  cwd: string;
  /** Bundle, folder or snapshot: the target's path; relative entry paths get `uriBaseId: "BUNDLE"`. */
  bundle?: string;
  /** Live checks: the host name, used in logical locations. */
  host?: string;
}

const BUNDLE_KINDS: ReadonlySet<TargetSummary['kind']> = new Set(['bundle', 'folder', 'snapshot']);

function placementFor(report: Report, cwd: string): Placement {
  const t = report.target;
  if (t && BUNDLE_KINDS.has(t.kind)) return { cwd, bundle: t.name };
  if (t && t.kind === 'live') return { cwd, host: t.name };
  return { cwd };
}

const isAbsolute = (p: string): boolean => p.startsWith('/') || isDrivePath(p);

/** An artifactLocation for a file path: entries of a bundle relative to BUNDLE, anything else as artifactUri. */
function artifactLocation(path: string, place: Placement): Json {
  if (place.bundle === undefined) return { uri: artifactUri(path, place.cwd) };
  let p = path.replace(/\\/g, '/');
  const root = place.bundle.replace(/\\/g, '/').replace(/\/+$/, '') + '/';
  if (isAbsolute(p)) {
    const under = isDrivePath(p) ? p.toLowerCase().startsWith(root.toLowerCase()) : p.startsWith(root);
    if (!under) return { uri: artifactUri(path, place.cwd) };
    p = p.slice(root.length);
  }
  return { uri: encodeSegments(p.replace(/^(\.\/)+/, '')), uriBaseId: BUNDLE_BASE_ID };
}

/**
 * The file URI of a bundle's location, ending in `/` as originalUriBaseIds requires: the folder for a
 * folder, `file:///…/bundle.zip/` for a zip (entries resolve "inside" it). Relative paths resolve against cwd.
 */
export function bundleBaseUri(path: string, cwd: string = process.cwd()): string {
  let p = path.replace(/\\/g, '/');
  if (!isAbsolute(p)) p = `${cwd.replace(/\\/g, '/').replace(/\/+$/, '')}/${p.replace(/^(\.\/)+/, '')}`;
  p = p.replace(/\/+$/, '');
  let uri: string;
  if (isDrivePath(p)) uri = `file:///${p.slice(0, 2)}${encodeSegments(p.slice(2))}`;
  else if (p.startsWith('//')) uri = `file:${encodeSegments(p)}`;
  else uri = `file://${encodeSegments(p)}`;
  return `${uri}/`;
}

function physical(loc: Json, startLine: number): Json {
  return { physicalLocation: { artifactLocation: loc, region: { startLine } } };
}

function locationsFor(f: Finding, fallbackPath: string | undefined, place: Placement): Json[] {
  const files = f.evidence.filter(isFileEvidence);
  const withLine = files.find((e) => e.line !== undefined && Number.isInteger(e.line) && e.line >= 1);
  if (withLine) return [physical(artifactLocation(withLine.path, place), withLine.line!)];
  const loc: Json = { logicalLocations: [{ kind: 'resource', fullyQualifiedName: `${place.host ?? 'wac-doctor'}/${f.ruleId}` }] };
  const path = files[0]?.path ?? fallbackPath;
  if (path !== undefined) Object.assign(loc, physical(artifactLocation(path, place), 1));
  return [loc];
}

function fingerprint(f: Finding, target: TargetSummary | undefined): string {
  const e = f.evidence[0];
  // The machine, not the bundle's file name (which carries a timestamp), keeps alerts stable across collections.
  const key = target && target.kind !== 'pasted' ? `|${target.machine ?? target.name}` : '';
  return createHash('sha256').update(`${f.ruleId}${key}|${e?.path ?? ''}|${e?.line ?? ''}`).digest('hex');
}

/** The driver's rules: the catalog, plus a descriptor for any finding whose rule is not in it (shared by every run). */
class RuleTable {
  readonly rules: Json[];
  private readonly index = new Map<string, number>();
  constructor(catalog: readonly Rule[]) {
    this.rules = catalog.map(descriptor);
    catalog.forEach((r, i) => { if (!this.index.has(r.meta.id)) this.index.set(r.meta.id, i); });
  }
  indexOf(f: Finding): number {
    let i = this.index.get(f.ruleId);
    if (i === undefined) {
      i = this.rules.push(descriptorFromFinding(f)) - 1;
      this.index.set(f.ruleId, i);
    }
    return i;
  }
}

function toRun(report: Report, table: RuleTable, cwd: string, options: RenderOptions): Json {
  const place = placementFor(report, cwd);
  // Live runs have no files: their inputs (if any) are probes, not locations.
  const inputPaths = place.host !== undefined ? [] : [...report.inputs.filter((i) => i.status === 'parsed'), ...report.inputs.filter((i) => i.status !== 'parsed')]
    .map((i) => i.path).filter((p) => p !== '');
  const fallbackPath = inputPaths[0];

  const results: Json[] = [];
  const notifications: Json[] = [];
  // GitHub code scanning shows every result as an alert: by default only problems (fail, warn, error).
  const shown = orderFindings(report.results).filter((f) => options.sarifAll === true || isProblem(f));
  for (const f of shown) {
    const ruleIndex = table.indexOf(f);
    if (f.status === 'error') {
      notifications.push({ level: 'error', message: { text: sarifText(f.message) }, associatedRule: { id: f.ruleId, index: ruleIndex } });
      continue;
    }
    const properties: Json = { status: f.status, category: f.category };
    if (f.fix) properties.fix = { summary: f.fix.summary, commands: f.fix.commands.map((c) => ({ shell: c.shell, command: c.command })) };
    if (f.missing && f.missing.length > 0) properties.missing = [...f.missing];
    results.push({
      ruleId: f.ruleId,
      ruleIndex,
      ...kindAndLevel(f),
      message: { text: sarifText(f.fix ? `${f.message} Fix: ${f.fix.summary}` : f.message) },
      // A skip has no evidence: a fallback file:line would point at an unrelated line, so it gets the logical location only.
      locations: locationsFor(f, f.status === 'skip' ? undefined : fallbackPath, place),
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f, report.target) },
      properties,
    });
  }
  for (const i of report.inputs) {
    if (i.status === 'parsed') continue;
    const text = i.messages.length > 0 ? i.messages.join(' ') : `${i.path}: ${i.status === 'error' ? 'could not be read' : 'not recognized'}`;
    const n: Json = { level: i.status === 'error' ? 'warning' : 'note', message: { text: sarifText(text) } };
    if (place.host === undefined) n.locations = [{ physicalLocation: { artifactLocation: artifactLocation(i.path, place) } }];
    notifications.push(n);
  }

  const invocation: Json = { executionSuccessful: true, endTimeUtc: report.generatedAt };
  if (place.host !== undefined) invocation.machine = place.host;
  if (notifications.length > 0) invocation.toolExecutionNotifications = notifications;

  const run: Json = {
    tool: { driver: { name: report.tool.name, version: report.tool.version, informationUri: INFORMATION_URI, rules: table.rules } },
    invocations: [invocation],
  };
  if (place.bundle !== undefined) run.originalUriBaseIds = { [BUNDLE_BASE_ID]: { uri: bundleBaseUri(place.bundle, cwd) } };
  run.results = results;
  if (report.target) run.properties = { target: report.target };
  return run;
}

/** A run category per target for GitHub (one run per category per upload): `wac-doctor/<machine or file name>/`. */
function automationIds(reports: readonly Report[]): string[] {
  const seen = new Map<string, number>();
  return reports.map((r) => {
    const t = r.target;
    const raw = t?.machine ?? (t ? t.name.split(/[\\/]/).filter(Boolean).pop() ?? t.name : 'pasted-inputs');
    let slug = raw.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'target';
    const n = (seen.get(slug) ?? 0) + 1;
    seen.set(slug, n);
    if (n > 1) slug = `${slug}-${n}`;
    return `wac-doctor/${slug}/`;
  });
}

export function toSarif(input: Report | MultiReport, options: RenderOptions, cwd: string = process.cwd()): Json {
  const redacted = options.redact ? redactDeep(input) : input;
  const reports = isMultiReport(redacted) ? redacted.reports : [redacted];
  const table = new RuleTable(options.rules);
  // Register unknown rules from every report first so each run carries the same driver.
  for (const r of reports) for (const f of r.results) table.indexOf(f);
  const runs = reports.map((r) => toRun(r, table, cwd, options));
  if (isMultiReport(redacted)) {
    const ids = automationIds(reports);
    runs.forEach((run, i) => { run.automationDetails = { id: ids[i] }; });
  }
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs };
}

export const renderSarif: Reporter = (report: Report | MultiReport, options: RenderOptions): string =>
  JSON.stringify(toSarif(report, options), null, 2) + '\n';
