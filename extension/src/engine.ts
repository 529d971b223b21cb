/**
 * The extension's one door into core, loaded on first use (esbuild emits it as dist/engine.js) so
 * activation does not pay for parsers, rules, reporters, the bundle reader and the live probes.
 * vscode-free, so mocha tests it directly.
 */
import {
  analyze, analyzeTexts as analyzePasted, analyzeWithFleet as analyzeInputsWithFleet, classifyInput, type InputSummary, BundleEntryError, check, decodeText, InputError, MAX_TEXT_BYTES, readBundleEntry as readEntry, render,
  renderFleetReport, summarizeFleet, type FleetReportFormat, type Format, type Report, type Rule, type TextInput,
} from '../../core';
import { RULES } from '../../rules';
import type { Settings } from './model/settings';

export { InputError, MAX_TEXT_BYTES };
export type { TextInput };

/** A failure to show the user as is (one line, no stack). */
export class UserError extends Error {
  override name = 'UserError';
}

export function ruleIds(): string[] {
  return RULES.map((r) => r.meta.id);
}

export function rulesFor(settings: Pick<Settings, 'disabledRules'>): Rule[] {
  return RULES.filter((r) => !settings.disabledRules.includes(r.meta.id));
}

function analyzeOptions(settings: Settings): { rules: Rule[]; port?: number } {
  return { rules: rulesFor(settings), ...(settings.wacPort !== undefined ? { port: settings.wacPort } : {}) };
}

/** Bytes of an untrusted file -> text (UTF-8/UTF-16, CRLF); throws InputError for binary or huge input. */
export function decode(bytes: Uint8Array, name: string): string {
  return decodeText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name);
}

/** Pasted outputs (files or editors): the same pipeline as `wac-doctor analyze`. */
export function analyzeTexts(inputs: readonly TextInput[], settings: Settings, now?: Date): Report {
  return analyzePasted(inputs, { ...analyzeOptions(settings), ...(now ? { now } : {}) });
}

/** Progress lines for the notification. */
export type ProgressSink = (message: string) => void;

/** A logs bundle (zip) or an extracted bundle folder; one report per target found. */
export async function analyzeBundle(path: string, settings: Settings, progress?: ProgressSink): Promise<Report[]> {
  // One bundle at a time, in this thread: the worker pool needs dist/worker.js, which the extension does not ship.
  return analyze([path], {
    ...analyzeOptions(settings), workers: 1,
    ...(progress ? { onProgress: (p) => progress(`${p.entries}${p.entriesTotal ? ` of ${p.entriesTotal}` : ''} entries, ${(p.bytes / 1048576).toFixed(1)} MB read`) } : {}),
  });
}

/** Whether a file is an Azure Resource Graph export (by content: core/fleet/sniff reads its head). */
export async function isFleetExport(path: string): Promise<boolean> {
  return (await classifyInput(path)) === 'fleet';
}

/** Resource Graph export pages (with snapshot documents of their machines): one report per machine, and each page's problems. */
export async function analyzeFleetExport(paths: readonly string[], settings: Settings): Promise<{ reports: Report[]; pages: InputSummary[] }> {
  const { reports, fleet } = await analyzeInputsWithFleet(paths, { ...analyzeOptions(settings), workers: 1 });
  return { reports, pages: fleet?.pages ?? [] };
}

/** Live checks of the machine VS Code's workspace runs on (with Remote-SSH: the server). */
export async function checkMachine(settings: Settings, progress?: ProgressSink): Promise<Report> {
  return check({
    ...analyzeOptions(settings), timeoutMs: settings.probeTimeoutMs,
    ...(settings.dnsServers.length ? { dnsServers: settings.dnsServers } : {}),
    // core/sources/live takes the agent's proxy.url first, then HTTPS_PROXY: the setting fills in the latter.
    ...(settings.proxy ? { env: { ...process.env, HTTPS_PROXY: settings.proxy } } : {}),
    ...(progress ? { onProgress: (p) => progress(`${p.done} of ${p.total} checks${p.running.length ? `: ${p.running.slice(0, 2).join(', ')}` : ''}`) } : {}),
  });
}

/**
 * The text of one entry of a zipped bundle, for the read-only bundle documents; paths as evidence names them.
 * The same entry the analysis read (core/sources/bundle/lookup: the first file entry of that name, same checks).
 */
export async function readBundleEntry(bundlePath: string, entryPath: string): Promise<string> {
  let found;
  try {
    found = await readEntry(bundlePath, entryPath, MAX_TEXT_BYTES);
  } catch (err) {
    if (err instanceof BundleEntryError) throw new UserError(err.message);
    throw err;
  }
  return decodeText(found.bytes, entryPath);
}

/** Any reporter format; redaction follows the setting (on by default). */
export function renderReport(format: Format, report: Report, settings: Settings): string {
  return render(format, report, { rules: rulesFor(settings), color: false, verbose: true, redact: settings.redact, failOn: settings.failOn });
}

/** The Fleet view's fleet as one file (CSV, markdown or JSON), as `wac-doctor analyze` writes it; redaction and failOn follow the settings. */
export function renderFleetExport(format: FleetReportFormat, reports: readonly Report[], pages: readonly InputSummary[], settings: Settings): string {
  const summary = summarizeFleet(reports, { blocking: settings.failOn });
  return renderFleetReport(format, { reports, summary, pages }, { rules: rulesFor(settings), color: false, verbose: false, redact: settings.redact, failOn: settings.failOn });
}
