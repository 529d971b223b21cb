/** The analyses: pasted files, the active editor, a logs bundle, this machine; and re-running any of them. */
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import type { TextInput } from '../engine';
import { redact, type Report } from '../../../core';
import { collectLineTexts, targetId, targetLabel, type AnalysisTarget, type Origin, type TextSource } from '../model/target';
import type { FleetTree } from '../tree/fleetTree';
import type { ResultsTree } from '../tree/resultsTree';
import { Cancelled, withCancellableProgress, withViewProgress } from './progress';

export interface AnalyzeDeps {
  ctx: Ctx;
  tree: ResultsTree;
  fleet: FleetTree;
}

/** How a result is shown: a fresh analysis reveals it; a background re-run after an edit does not. */
interface Show {
  reveal: boolean;
}

/** The name core puts in evidence: a file's path, an untitled editor's name, else the URI. */
function pathFor(uri: vscode.Uri): string {
  if (uri.scheme === 'file') return uri.fsPath;
  if (uri.scheme === 'untitled') return uri.path;
  return uri.toString();
}

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
}

/** The text of a pasted-output file: the open editor's text if it is open (what the user sees), else the bytes. */
async function readSource(ctx: Ctx, uri: vscode.Uri): Promise<TextInput> {
  const path = pathFor(uri);
  const doc = openDocument(uri);
  if (doc) return { path, text: doc.getText() };
  const engine = ctx.engine();
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return { path, error: `${path}: is a folder; expected a file of command output` };
    if (stat.size > engine.MAX_TEXT_BYTES) return { path, error: `${path}: ${stat.size} bytes; expected text output of at most ${engine.MAX_TEXT_BYTES} bytes` };
    return { path, text: engine.decode(await vscode.workspace.fs.readFile(uri), path) };
  } catch (err) {
    if (err instanceof engine.InputError) return { path, error: err.message };
    if (err instanceof vscode.FileSystemError) return { path, error: `${path}: cannot read (${err.code})` };
    throw err;
  }
}

function makeTarget(origin: Origin, report: Report, sources: TextSource[], texts: Map<string, string>, started: number, label: string): AnalysisTarget {
  return {
    id: targetId(origin, origin.kind === 'bundle' ? report.target?.name : origin.kind === 'fleet' ? report.target?.id ?? report.target?.name : undefined),
    kind: origin.kind, label, origin, report, sources,
    lineTexts: collectLineTexts(report, texts), analyzedAt: new Date().toISOString(), durationMs: performance.now() - started,
  };
}

async function publish(deps: AnalyzeDeps, targets: AnalysisTarget[], show: Show): Promise<void> {
  deps.ctx.store.upsert(...targets);
  const first = targets[0];
  if (!first) return;
  deps.ctx.log.info(`${first.label}: ${first.report.results.length} checks in ${Math.round(first.durationMs)} ms`);
  if (show.reveal) {
    deps.ctx.currentTargetId = first.id;
    await vscode.commands.executeCommand('workbench.view.extension.wacDoctor');
    // An analysis that found several machines (a fleet export, several bundles) opens on the fleet.
    if (targets.length > 1) await deps.fleet.reveal();
    else await deps.tree.reveal(first.id);
  }
}

async function analyzeUris(deps: AnalyzeDeps, origin: Origin & { kind: 'files' | 'editor' }, uris: vscode.Uri[], show: Show, label?: string): Promise<void> {
  const { ctx } = deps;
  const started = performance.now();
  const inputs: TextInput[] = [];
  for (const uri of uris) inputs.push(await readSource(ctx, uri));
  const sources = uris.map((uri, i) => ({ path: inputs[i]!.path, uri: uri.toString() }));
  const texts = new Map(inputs.flatMap((i) => ('text' in i ? [[i.path, i.text] as [string, string]] : [])));
  const report = ctx.engine().analyzeTexts(inputs, ctx.settings());
  const existing = ctx.store.get(targetId(origin));
  if (!existing && !report.inputs.some((i) => i.status === 'parsed')) {
    // Nothing recognised: say why instead of listing 22 skipped checks.
    const why = report.inputs.flatMap((i) => i.messages)[0] ?? 'no input';
    void vscode.window.showWarningMessage(`WAC Doctor: nothing to analyze. ${ctx.viewSettings().redact ? redact(why) : why}`);
    return;
  }
  const name = label ?? targetLabel(origin, { paths: inputs.map((i) => i.path) });
  await publish(deps, [makeTarget(origin, report, sources, texts, started, name)], show);
}

export async function analyzeFiles(deps: AnalyzeDeps, arg?: unknown, all?: unknown): Promise<void> {
  let uris: vscode.Uri[] | undefined;
  // Explorer context menu: (clicked uri, all selected uris).
  if (Array.isArray(all) && all.every((u) => u instanceof vscode.Uri)) uris = all;
  else if (arg instanceof vscode.Uri) uris = [arg];
  else {
    uris = await vscode.window.showOpenDialog({
      canSelectMany: true, openLabel: 'Analyze', title: 'WAC Doctor: files of pasted command output',
      filters: { 'Command output': ['txt', 'json', 'log', 'out'], 'All files': ['*'] },
    });
  }
  if (!uris?.length) return;
  // Resource Graph exports among them are a fleet (one target per machine); the rest are pasted outputs as before.
  // An "export" with no machine in it (one machine's extension list looks alike) is pasted output after all.
  const exports = await fleetExports(deps.ctx, uris);
  const machines = exports.length ? await runFleet(deps, exports.map((u) => u.fsPath), { reveal: true }, { orNothing: true }) : 0;
  const list = machines > 0 ? uris.filter((u) => !exports.includes(u)) : uris;
  if (!list.length) return;
  const origin: Origin = { kind: 'files', uris: list.map((u) => u.toString()) };
  await withViewProgress(() => analyzeUris(deps, origin, list, { reveal: true }));
}

/** The files on disk among `uris` whose content is an Azure Resource Graph export (core sniffs the head). */
async function fleetExports(ctx: Ctx, uris: readonly vscode.Uri[]): Promise<vscode.Uri[]> {
  const engine = ctx.engine();
  const found: vscode.Uri[] = [];
  for (const u of uris) if (u.scheme === 'file' && (await engine.isFleetExport(u.fsPath))) found.push(u);
  return found;
}

/** Resource Graph exports picked in a dialog: several pages of one export go together. */
export async function analyzeFleetExport(deps: AnalyzeDeps, arg?: unknown, all?: unknown): Promise<void> {
  let uris = Array.isArray(all) && all.length > 0 && all.every((u) => u instanceof vscode.Uri) ? all : arg instanceof vscode.Uri ? [arg] : undefined;
  uris ??= await vscode.window.showOpenDialog({
    canSelectMany: true, openLabel: 'Analyze', title: 'WAC Doctor: Azure Resource Graph export (every page of it)',
    filters: { 'Resource Graph export': ['json'], 'All files': ['*'] },
  });
  if (!uris?.length) return;
  const exports = await fleetExports(deps.ctx, uris);
  const not = uris.filter((u) => !exports.includes(u));
  if (not.length) {
    void vscode.window.showWarningMessage(`WAC Doctor: ${not.map((u) => basename(u.path)).join(', ')}: not an Azure Resource Graph export; export with az graph query -o json, Search-AzGraph or the REST API (see wac-doctor fleet-query).`);
  }
  if (exports.length) await runFleet(deps, exports.map((u) => u.fsPath), { reveal: true });
}

/** How a fleet run ends when it finds no machine: an error message, or (`orNothing`) silently, for the caller to fall back. */
interface FleetRunOptions {
  orNothing?: boolean;
}

/**
 * A fleet: every page together, one target per machine. Machines of an earlier run of the same pages that are no
 * longer in them go. What a page could not give (bad rows, a missing next page) is said once, in full in the log.
 */
export async function runFleet(deps: AnalyzeDeps, paths: string[], show: Show, options: FleetRunOptions = {}): Promise<number> {
  const { ctx } = deps;
  const settings = ctx.settings();
  const started = performance.now();
  const title = paths.length === 1 ? basename(paths[0]!) : `${paths.length} export pages`;
  const { reports, pages } = await withCancellableProgress(`WAC Doctor: analyzing ${title}`, () => ctx.engine().analyzeFleetExport(paths, settings));
  const origin: Origin = { kind: 'fleet', paths };
  deps.fleet.setPages(origin, pages);
  const targets = reports.map((r) => makeTarget(origin, r, [], new Map(), started, targetLabel(origin, { report: r })));
  const problems = pages.flatMap((p) => p.messages);
  for (const m of problems) ctx.log.warn(m);
  const say = (m: string): string => (ctx.viewSettings().redact ? redact(m) : m);
  if (!targets.length) {
    if (!options.orNothing) void vscode.window.showErrorMessage(`WAC Doctor: no machines in ${title}. ${say(problems[0] ?? 'The export holds no Arc machine rows.')}`);
    return 0;
  }
  const key = JSON.stringify(origin);
  const keep = new Set(targets.map((t) => t.id));
  ctx.store.removeWhere((t) => JSON.stringify(t.origin) === key && !keep.has(t.id));
  ctx.log.info(`${title}: ${targets.length} machines in ${Math.round(performance.now() - started)} ms`);
  await publish(deps, targets, show);
  if (problems.length && show.reveal) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    void vscode.window.showWarningMessage(`WAC Doctor: ${say(problems[0]!)}${more}`, 'Show Log').then((c) => { if (c) ctx.log.show(); });
  }
  return targets.length;
}

export async function analyzeActiveEditor(deps: AnalyzeDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('WAC Doctor: open an editor with command output first (paste the output of azcmagent show, azcmagent config list, Get-Service… into a new file).');
    return;
  }
  const doc = editor.document;
  // A Resource Graph export open in an editor: as saved on disk, the fleet it lists.
  if (doc.uri.scheme === 'file' && !doc.isDirty && (await deps.ctx.engine().isFleetExport(doc.uri.fsPath))
    && (await runFleet(deps, [doc.uri.fsPath], { reveal: true }, { orNothing: true })) > 0) return;
  await withViewProgress(() => analyzeDocument(deps, doc, { reveal: true }));
}

export async function analyzeDocument(deps: AnalyzeDeps, doc: vscode.TextDocument, show: Show): Promise<void> {
  const origin: Origin = { kind: 'editor', uri: doc.uri.toString() };
  const name = doc.isUntitled ? pathFor(doc.uri) : basename(doc.uri.path);
  await analyzeUris(deps, origin, [doc.uri], show, name);
}

/** Explorer: (clicked uri, all selected uris); else a pick of the workspace's bundles or a file dialog (several allowed). */
export async function analyzeBundle(deps: AnalyzeDeps, arg?: unknown, all?: unknown): Promise<void> {
  const { ctx } = deps;
  let uris = Array.isArray(all) && all.length > 1 && all.every((u) => u instanceof vscode.Uri) ? all
    : arg instanceof vscode.Uri ? [arg] : undefined;
  if (!uris) {
    const found = await vscode.workspace.findFiles('**/azcmagent-logs*.zip', '**/node_modules/**', 50);
    const browse = { label: '$(folder-opened) Browse…', uri: undefined as vscode.Uri | undefined };
    const picked = found.length
      ? await vscode.window.showQuickPick([...found.map((u) => ({ label: basename(u.fsPath), description: vscode.workspace.asRelativePath(u), uri: u })), browse], { title: 'WAC Doctor: analyze logs bundle' })
      : browse;
    if (!picked) return;
    uris = picked.uri ? [picked.uri] : await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Analyze', title: 'WAC Doctor: azcmagent logs bundles', filters: { 'Logs bundle': ['zip'] } });
  }
  if (!uris?.length) return;
  if (uris.some((u) => u.scheme !== 'file')) {
    void vscode.window.showWarningMessage('WAC Doctor: logs bundles must be files on disk.');
    return;
  }
  await runBundles(deps, uris.map((u) => u.fsPath), { reveal: true }).catch((err) => { if (!(err instanceof Cancelled)) ctx.reportError('Analyzing the bundle', err); });
}

/** Each path is its own analysis (one bad bundle is its own error report); all land in the results together. */
async function runBundles(deps: AnalyzeDeps, paths: readonly string[], show: Show): Promise<void> {
  const { ctx } = deps;
  const settings = ctx.settings();
  const title = paths.length === 1 ? basename(paths[0]!) : `${paths.length} bundles`;
  const targets = await withCancellableProgress(`WAC Doctor: analyzing ${title}`, async (report) => {
    const out: AnalysisTarget[] = [];
    for (const [i, path] of paths.entries()) {
      const started = performance.now();
      const prefix = paths.length > 1 ? `${i + 1} of ${paths.length}: ` : '';
      const reports = await ctx.engine().analyzeBundle(path, settings, (m) => report(prefix + m));
      const origin: Origin = { kind: 'bundle', path };
      out.push(...reports.map((r) => makeTarget(origin, r, [], new Map(), started, targetLabel(origin, { report: r }))));
    }
    return out;
  });
  await publish(deps, targets, show);
}

export async function checkMachine(deps: AnalyzeDeps): Promise<void> {
  const { ctx } = deps;
  if (!vscode.workspace.isTrusted) {
    const choice = await vscode.window.showWarningMessage('WAC Doctor: checking this machine runs probes and commands; it needs a trusted workspace.', 'Manage Workspace Trust');
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
    return;
  }
  const started = performance.now();
  const settings = ctx.settings();
  try {
    const report = await withCancellableProgress('WAC Doctor: checking this machine', (report) => ctx.engine().checkMachine(settings, report));
    const origin: Origin = { kind: 'machine' };
    await publish(deps, [makeTarget(origin, report, [], new Map(), started, targetLabel(origin, { report }))], { reveal: true });
  } catch (err) {
    if (!(err instanceof Cancelled)) ctx.reportError('Checking this machine', err);
  }
}

/** Runs a target's analysis again; `show.reveal` false for background refreshes. */
export async function rerunTarget(deps: AnalyzeDeps, target: AnalysisTarget, show: Show): Promise<void> {
  const o = target.origin;
  switch (o.kind) {
    case 'machine': return checkMachine(deps);
    case 'bundle': return runBundles(deps, [o.path], show);
    case 'fleet': await runFleet(deps, o.paths, show); return;
    case 'files': return analyzeUris(deps, o, o.uris.map((u) => vscode.Uri.parse(u, true)), show);
    case 'editor': {
      const uri = vscode.Uri.parse(o.uri, true);
      const doc = openDocument(uri) ?? (uri.scheme === 'untitled' ? undefined : await vscode.workspace.openTextDocument(uri));
      if (!doc) throw new (deps.ctx.engine().UserError)(`${target.label} was closed; paste the output again and analyze it.`);
      return analyzeUris(deps, o, [doc.uri], show, target.label);
    }
  }
}
