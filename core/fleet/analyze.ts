/**
 * A fleet: every page of Resource Graph exports given in one run, one Report per Arc machine, rules as for one
 * machine. Streaming: rows are read one at a time (core/fleet/pages) and each machine's report is handed to
 * `onReport` and dropped, so memory holds the extension index and the summary, not the fleet. The fleet query's
 * rows (extension joined) are analyzed as they come; plain machine rows wait for a second read of their page, once
 * every page's extension rows are indexed (a machine's extension row may be on any page).
 *
 * A bad page is a message naming it; the other pages' machines are analyzed (and the rows of a page cut short
 * before the cut). A bad row is a message naming the page and the row; the others are analyzed.
 */
import { evaluate, type AnalyzeOptions } from '../engine/pipeline';
import type { Observation } from '../model/facts';
import { FactStore } from '../engine/fact-store';
import type { InputSummary, Report, TargetSummary } from '../model/report';
import { classifyRow, ExtensionIndex, joinedExtension, machineFacts, type ExtensionJoin, type FleetMachineId } from './machine';
import { readPage, SHAPE_LABELS, type PageResult } from './pages';
import { StringPool } from './share';
import { RowSpill } from './spill';
import { FleetSummaryBuilder, ownString, type FleetSummary, type SummaryOptions } from './summary';

export const FLEET_INPUT_KIND = 'arg-export';

export interface FleetOptions extends AnalyzeOptions, SummaryOptions {
  /** Each machine's Report, as soon as it is made; when given, the run keeps none (`reports` stays empty). */
  onReport?: (report: Report, machine: FleetMachineId) => void | Promise<void>;
  /** Machines whose facts go to `held` instead of a report (to merge with their snapshot: core/fleet/merge). */
  hold?: (machine: FleetMachineId) => boolean;
  /** The summary to add the machines to (default: a new one). */
  summary?: FleetSummaryBuilder;
  /** The page named `-` (STDIN_PAGE): an export piped on standard input, read once as it comes. */
  stdin?: NodeJS.ReadableStream;
}

/** A page path that stands for standard input, and its name in messages. */
export const STDIN_PATH = '-';
export const STDIN_PAGE = '<stdin>';

export interface HeldMachine {
  machine: FleetMachineId;
  observations: Observation[];
  input: InputSummary;
}

export interface FleetRun {
  /** One per page, in the order given: shape, rows, skip token, and the page's problems. */
  inputs: InputSummary[];
  pages: PageResult[];
  summary: FleetSummary;
  /** The reports, when no onReport was given. */
  reports: Report[];
  held: HeldMachine[];
}

/** Row problems listed per page; the rest are counted. */
const MAX_ROW_MESSAGES = 20;

class PageNotes {
  readonly messages: string[] = [];
  private extra = 0;
  machines = 0;
  extensions = 0;
  other = new Map<string, number>();
  constructor(readonly path: string) {}
  row(where: string, why: string): void {
    if (this.messages.length < MAX_ROW_MESSAGES) this.messages.push(`${this.path}: ${where}: ${why}; row skipped`);
    else this.extra++;
  }
  finish(page: PageResult): InputSummary {
    const messages = [...(page.error ? [page.error] : []), ...this.messages];
    if (this.extra > 0) messages.push(`${this.path}: ${this.extra} more rows skipped for the same kinds of problem`);
    for (const [type, n] of this.other) messages.push(`${this.path}: ${n} row(s) of type ${type} ignored (not Arc machines or their extensions)`);
    const usable = this.machines > 0 || this.extensions > 0 || (!page.error && page.rows === 0);
    return {
      path: this.path, kind: FLEET_INPUT_KIND, label: `Azure Resource Graph export (${SHAPE_LABELS[page.shape ?? 'az-graph-query']})`,
      status: usable ? 'parsed' : 'error', messages, facts: this.machines,
    };
  }
}

function machineTarget(m: FleetMachineId, observations: Observation[]): TargetSummary {
  const target: TargetSummary = { kind: 'machine', name: m.name, machine: m.name, id: m.id };
  const os = observations.find((o) => o.name === 'os')?.value as { name?: string; version?: string } | undefined;
  if (os?.name || os?.version) target.os = [os.name, os.version].filter(Boolean).join(' ');
  const version = observations.find((o) => o.name === 'agent.version')?.value;
  if (typeof version === 'string') target.agentVersion = version;
  return target;
}

export async function analyzeFleet(paths: readonly string[], options: FleetOptions): Promise<FleetRun> {
  const builder = options.summary ?? new FleetSummaryBuilder(options);
  const reports: Report[] = [];
  const held: HeldMachine[] = [];
  const index = new ExtensionIndex();
  const seen = new Set<string>();
  const pagePath = (p: string): string => (p === STDIN_PATH && options.stdin !== undefined ? STDIN_PAGE : p);
  const notes = paths.map((p) => new PageNotes(pagePath(p)));
  const deferred = new Set<number>();
  // Reports kept (no onReport) share their equal strings: a held fleet is its findings, not copies of their texts.
  const strings = options.onReport ? undefined : new StringPool();

  const machine = async (row: Record<string, unknown>, m: FleetMachineId, path: string, where: string, ext: ExtensionJoin, page: PageNotes): Promise<void> => {
    if (seen.has(m.key)) {
      page.row(where, `machine ${m.name} again (an earlier row has the same id)`);
      return;
    }
    seen.add(ownString(m.key));
    page.machines++;
    const { observations, warnings } = machineFacts(row, path, where, ext);
    const input: InputSummary = {
      path, kind: FLEET_INPUT_KIND, label: `Azure Resource Graph row ${where}`, status: 'parsed', facts: observations.length,
      messages: warnings.map((w) => `${path}: ${where}: ${w}`),
    };
    if (options.hold?.(m)) {
      held.push({ machine: m, observations, input });
      return;
    }
    const store = new FactStore();
    store.addAll(observations);
    const report = evaluate(store, [input], options, new Set(['pasted']));
    report.target = machineTarget(m, observations);
    builder.add(report);
    if (options.onReport) await options.onReport(report, m);
    else reports.push(strings!.shareReport(report));
  };

  // Pass 1: every page; joined rows analyzed now, extension rows indexed, plain machine rows left for pass 2 (a file
  // is read again; standard input cannot be, so its plain machine rows are spilled to a temporary file meanwhile).
  const pages: PageResult[] = [];
  const spill = new RowSpill();
  try {
    for (const [i, given] of paths.entries()) {
      const fromStdin = given === STDIN_PATH && options.stdin !== undefined;
      const path = pagePath(given);
      const page = notes[i]!;
      pages.push(await readPage(path, async (row, where) => {
        const c = classifyRow(row);
        const obj = row as Record<string, unknown>;
        if (c.kind === 'invalid') page.row(where, c.why);
        else if (c.kind === 'other') page.other.set(c.type, (page.other.get(c.type) ?? 0) + 1);
        else if (c.kind === 'extension') {
          page.extensions++;
          index.add(c.machineKey, obj, path, where);
        } else if (c.joined) await machine(obj, c.machine, path, where, joinedExtension(obj, path, where), page);
        else if (fromStdin) await spill.add(i, where, obj);
        else deferred.add(i);
      }, fromStdin ? options.stdin : undefined));
    }
    // Pass 2: plain machine rows, now that every extension row is known. Problems were said in pass 1.
    const plain = async (i: number, path: string, row: unknown, where: string): Promise<void> => {
      const c = classifyRow(row);
      if (c.kind !== 'machine' || c.joined) return;
      await machine(row as Record<string, unknown>, c.machine, path, where, index.lookup(c.machine.key, path, where), notes[i]!);
    };
    for (const i of deferred) {
      const path = paths[i]!;
      await readPage(path, (row, where) => plain(i, path, row, where));
    }
    await spill.replay((i, where, row) => plain(i, STDIN_PAGE, row, where));
  } finally {
    await spill.dispose();
  }
  const inputs = pages.map((page, i) => notes[i]!.finish(page));
  addPagingNotes(inputs, pages, seen.size);
  return { inputs, pages, summary: builder.result(), reports, held };
}

/** Pages that say more rows exist than were read: a page is probably missing. */
function addPagingNotes(inputs: InputSummary[], pages: PageResult[], machines: number): void {
  const total = Math.max(0, ...pages.map((p) => p.totalRecords ?? 0));
  const rows = pages.reduce((n, p) => n + p.rows, 0);
  const last = pages.findIndex((p) => p.skipToken !== undefined);
  if (total > rows && last >= 0) {
    inputs[last]!.messages.push(`${pages[last]!.path}: the query has ${total} rows but these pages hold ${rows} (${machines} machines): fetch the next pages with --skip-token / -SkipToken (see wac-doctor fleet-query)`);
  }
}
