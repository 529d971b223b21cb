/**
 * The one door into core for the shells (cli/, extension/): analyze, check, collect, render, the rule
 * catalog, and the helpers and types a shell needs. Nothing else in cli/ or extension/ imports core.
 *
 * Start time matters (`wac-doctor rules`, the extension's activation): this module loads only small
 * modules up front. The pipelines (parsers, the bundle reader with yauzl, the live probes with
 * systeminformation, each reporter) are required on first call; types cost nothing. esbuild drops what a
 * bundle does not call, so the extension's activation bundle stays free of them.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the lazy loads described above */
import type { Rule } from './engine/rule';
import type { Report } from './model/report';
import type { AnalyzeOptions } from './engine/pipeline';
import type { TextInput } from './sources/pasted';
import type { TargetOptions } from './sources/targets';
import type { CheckOptions, LiveProgress } from './sources/live/options';
import type { SnapshotOptions, SnapshotResult } from './sources/live/snapshot';
import type { FoundEntry } from './sources/bundle/lookup';
import type { CollectResult, CollectTarget, FleetOptions, FleetQuery, FleetRenderOptions, FleetSummary, MergedFleetRun } from './fleet';
import type { FleetJsonWriter, FleetReport, FleetReportFormat } from './fleet/report';
import type { InputSummary } from './model/report';
import type { RenderOptions } from './reporters';

// The model and the rule API (types and the small constants every shell shows).
export type { Category, Evidence, Finding, Fix, FixCommand, Shell, SourceKind, Status } from './model/types';
export { CATEGORY_ORDER, CATEGORY_TITLES, SHELL_LABELS } from './model/types';
export type { BatchAnalysis, CrossRow, FailOn, InputSummary, MultiReport, Report, Summary, TargetSummary } from './model/report';
// The status policy every reporter and shell shows statuses by (small; no other imports).
export {
  failsUnder, isProblem, problemCount, SEVERITY_RANK, STATUS_LABELS, STATUS_MARKS, STATUS_ORDER, STATUS_WORDS, STATUSES, summaryLine, worst,
} from './model/status';
export type { StatusCounts, SummaryLineOptions } from './model/status';
export { exitCodeFor, multiReport, TOOL_NAME, TOOL_VERSION } from './model/report';
export type { Rule, RuleMeta } from './engine/rule';
export { docsUrlFor } from './engine/rule';

// Option parsing the shells share with core's own validation.
export { parsePort } from './model/ports';
export { AZURE_REGIONS, isAzureRegion } from './catalog/regions';
export { LiveOptionError, parseConnectTo, parseDnsServer, parseResolve, regionLabel } from './sources/live/options';
export type { CheckOptions, LiveProgress } from './sources/live/options';

// Text a shell shows or shares: secrets redacted, control characters inert, typos answered.
export { redact } from './text/redact';
export { visible } from './text/visible';
export { didYouMean, nearest } from './text/suggest';
export { decodeText, InputError, MAX_TEXT_BYTES } from './text/text-input';

// Reporters: the dispatcher is small and loads each format on first use.
export { FORMATS, render } from './reporters';
export type { Format, RenderOptions } from './reporters';
// The HTML reporter's page, which the extension's webview shows (small: redaction and escaping only).
export { contentSecurityPolicy, escapeHtml, renderEmptyPage, renderReportPage } from './reporters/html';
export type { HtmlTarget, PageResources, ReportPageOptions } from './reporters/html';

export type { AnalyzeOptions } from './engine/pipeline';
export type { TextInput } from './sources/pasted';
export type { TargetOptions } from './sources/targets';
export type { SnapshotOptions, SnapshotResult } from './sources/live/snapshot';
export type { BundleProgress } from './sources/bundle/analyze-bundle';
export type { FoundEntry } from './sources/bundle/lookup';

/**
 * `wac-doctor analyze`: files, folders, zip bundles and snapshot documents (`-` is standard input), one
 * Report per target. Bundles run on worker threads when options.ruleSetModule names the module the rules
 * come from (see core/sources/bundle/pool.ts).
 */
export function analyze(paths: readonly string[], options: TargetOptions, stdin?: NodeJS.ReadableStream): Promise<Report[]> {
  return (require('./sources/targets') as typeof import('./sources/targets')).analyzeInputs(paths, options, stdin);
}

/** Texts already in memory (editors, files the shell read): one pasted target. */
export function analyzeTexts(inputs: readonly TextInput[], options: AnalyzeOptions): Report {
  return (require('./sources/pasted') as typeof import('./sources/pasted')).analyzeTexts(inputs, options);
}

/** `wac-doctor check`: live probes of this machine, then the rules. */
export function check(options: CheckOptions): Promise<Report> {
  return (require('./sources/live/check') as typeof import('./sources/live/check')).checkMachine(options);
}

/** `wac-doctor collect`: the same probes written to a snapshot zip to analyze elsewhere. */
export function collect(outputZip: string, options: SnapshotOptions): Promise<SnapshotResult> {
  return (require('./sources/live/snapshot') as typeof import('./sources/live/snapshot')).collectSnapshot(outputZip, options);
}

/** One progress line for live checks, cut to a terminal's width. */
export function formatLiveProgress(p: LiveProgress, width?: number): string {
  return (require('./sources/live/progress') as typeof import('./sources/live/progress')).formatProgress(p, width);
}

/** The PowerShell collector shipped with the package (collector/wac-doctor-collect.ps1). */
export function collectorScriptPath(): string {
  return (require('./sources/live/collector-spec') as typeof import('./sources/live/collector-spec')).collectorScriptPath();
}

/** A bundle entry that cannot be shown: not in the bundle, refused by the reader's checks, or too large. One line. */
export class BundleEntryError extends Error {
  override name = 'BundleEntryError';
}

/**
 * The bytes of one entry of a zipped bundle or snapshot document, by the path evidence names: the entry the
 * analysis read (the first file entry of that name, the same checks). Throws BundleEntryError when it cannot.
 */
export async function readBundleEntry(bundlePath: string, entryPath: string, maxBytes: number): Promise<FoundEntry> {
  const lookup = require('./sources/bundle/lookup') as typeof import('./sources/bundle/lookup');
  const { EntryTooLarge } = require('./sources/bundle/read-entry') as typeof import('./sources/bundle/read-entry');
  const { EntryRefused } = require('./sources/bundle/source') as typeof import('./sources/bundle/source');
  try {
    return await lookup.readBundleEntryBytes(bundlePath, entryPath, maxBytes);
  } catch (err) {
    if (err instanceof lookup.EntryNotFound) throw new BundleEntryError(err.message);
    if (err instanceof EntryTooLarge || err instanceof EntryRefused) throw new BundleEntryError(`${entryPath}: ${err.message}`);
    throw err;
  }
}

// The rule catalog (`wac-doctor rules`, `wac-doctor explain`), from rule metadata alone.
export const CATALOG_FORMATS = ['text', 'json', 'markdown'] as const;
export type CatalogFormat = (typeof CATALOG_FORMATS)[number];

export function isCatalogFormat(format: string): format is CatalogFormat {
  return (CATALOG_FORMATS as readonly string[]).includes(format);
}

const ruleDocs = (): typeof import('./catalog/rule-docs') => require('./catalog/rule-docs') as typeof import('./catalog/rule-docs');

/** The catalog of these rules: a table (text, markdown) or the JSON entries. */
export function renderRuleCatalog(rules: readonly Rule[], format: CatalogFormat): string {
  const docs = ruleDocs();
  if (format === 'json') return JSON.stringify(docs.catalogEntries(rules), null, 2) + '\n';
  return format === 'markdown' ? docs.catalogMarkdownTable(rules) : docs.catalogText(rules);
}

/** One rule in full: what it checks, why, its fixes. */
export function renderRuleExplanation(rule: Rule, format: CatalogFormat): string {
  const docs = ruleDocs();
  if (format === 'json') return JSON.stringify(docs.catalogEntries([rule])[0], null, 2) + '\n';
  return format === 'markdown' ? docs.explainMarkdown(rule) : docs.explainText(rule);
}


// Fleets: Azure Resource Graph exports (core/fleet). The summary is pure and small; the rest loads on first use.
export { FleetSummaryBuilder, machineVerdict, summarizeFleet, DECISIVE_RULES, READINESS_DEFINITIONS } from './fleet/summary';
export type { FailingRule, FixGroup, FleetSummary, MachineCause, MachineVerdict, Readiness, SummaryOptions } from './fleet/summary';
export type { CollectResult, CollectTarget, FleetOptions, FleetQuery, FleetRenderOptions, FleetRun, MergedFleetRun } from './fleet';
export type { FleetJsonWriter, FleetReport, FleetReportFormat } from './fleet/report';
export type { InputClass } from './sources/targets';
export { crossSummary } from './model/report';
export { redactDeep } from './text/redact';

/** What an input is, by content: zip, folder, snapshot document, Resource Graph export ('fleet') or text. */
export function classifyInput(path: string): Promise<import('./sources/targets').InputClass> {
  return (require('./sources/targets') as typeof import('./sources/targets')).classifyInput(path);
}

/** `analyze` when the inputs may hold Resource Graph export pages: their machines' reports, and the fleet's summary and pages. */
export function analyzeWithFleet(paths: readonly string[], options: TargetOptions, stdin?: NodeJS.ReadableStream): ReturnType<typeof import('./sources/targets').analyzeInputsWithFleet> {
  return (require('./sources/targets') as typeof import('./sources/targets')).analyzeInputsWithFleet(paths, options, stdin);
}

// The fleet's narrow door: each function requires its module on first call (start-up time).
const fleetSniff = (): typeof import('./fleet/sniff') => require('./fleet/sniff') as typeof import('./fleet/sniff');
const fleetReport = (): typeof import('./fleet/report') => require('./fleet/report') as typeof import('./fleet/report');

/** Whether a file is a Resource Graph export (its head, by content). */
export function sniffFleetExport(path: string): Promise<boolean> {
  return fleetSniff().sniffFleetExport(path);
}

/** Whether standard input is a Resource Graph export; its head is put back, so the stream reads whole after. */
export function sniffFleetStream(stream: NodeJS.ReadableStream): Promise<boolean> {
  return fleetSniff().sniffFleetStream(stream);
}

/**
 * Export pages (`-`: options.stdin) with snapshot documents of their machines merged in: one Report per machine,
 * streamed to options.onReport (then none is kept) or in `reports`; the summary and the pages' problems.
 */
export function analyzeFleetExports(exportPaths: readonly string[], snapshotPaths: readonly string[], options: FleetOptions & AnalyzeOptions): Promise<MergedFleetRun> {
  return (require('./fleet/merge') as typeof import('./fleet/merge')).analyzeFleetWithSnapshots(exportPaths, snapshotPaths, options);
}

/** `wac-doctor fleet-query`: the KQL and the export commands (az graph query, Search-AzGraph, paging). */
export function fleetQuery(): FleetQuery {
  return (require('./fleet/query') as typeof import('./fleet/query')).fleetQuery();
}

export function fleetQueryText(): string {
  return (require('./fleet/query') as typeof import('./fleet/query')).fleetQueryText();
}

/** The text summary of a fleet, line by line (a large fleet's is never one string). */
export function fleetSummaryLines(summary: FleetSummary, pages: readonly InputSummary[], options: FleetRenderOptions): Iterable<string> {
  return (require('./fleet/render') as typeof import('./fleet/render')).fleetSummaryLines(summary, pages, options);
}

/** A whole fleet report (CSV, markdown or JSON) as one text, as `analyze` writes it. */
export function renderFleetReport(format: FleetReportFormat, fleet: FleetReport, options: RenderOptions): string {
  return fleetReport().renderFleetReport(format, fleet, options);
}

/** The JSON fleet report in pieces (head, one per machine, tail), for writing a fleet as it is analyzed. */
export function fleetJsonWriter(redact: boolean, generatedAt?: string): FleetJsonWriter {
  const { FleetJsonWriter: Writer } = fleetReport();
  return new Writer(redact, generatedAt);
}

/** The CSV report's header line and one machine's row (CRLF), for writing a fleet as it is analyzed. */
export function csvHeader(): string {
  return (require('./reporters/csv') as typeof import('./reporters/csv')).csvHeader();
}

export function csvRow(report: Report, options: Pick<RenderOptions, 'redact' | 'failOn'>): string {
  return (require('./reporters/csv') as typeof import('./reporters/csv')).csvRow(report, options);
}

/** `wac-doctor fleet-collect`: the run-command commands for one machine, or why it is refused. */
export function fleetCollectCommands(target: CollectTarget, collectorPath: string): CollectResult {
  return (require('./fleet/collect') as typeof import('./fleet/collect')).collectCommands(target, collectorPath);
}

/** An Arc machine resource id as a collect target (undefined when it is not one). */
export function fleetTargetFromId(id: string): CollectTarget | undefined {
  return (require('./fleet/collect') as typeof import('./fleet/collect')).targetFromId(id);
}
