/**
 * From what a bundle reader gathered to the Report: the TargetSummary (machine, OS, agent version, time
 * range, files found and missing, notes), the input summary, and two additions to findings that only a
 * bundle can make: which missing file a skipped rule needed, and the time range of the logs it looked at.
 */
import { evaluate, type AnalyzeOptions } from '../pasted';
import { observe } from '../../model/facts';
import type { FactStore } from '../../engine/fact-store';
import type { InputSummary, Report, TargetSummary } from '../../model/report';
import type { Finding } from '../../model/types';
import { missingFiles, statesFact, type ExpectedFile, type Layout } from './classify';

export interface BundleFindings {
  kind: TargetSummary['kind'];
  name: string;
  layout: Layout | undefined;
  filesRead: string[];
  filesReadCount: number;
  allPaths: string[];
  /** Entries read as logs (their evidence gets the time range). */
  logPaths: ReadonlySet<string>;
  notes: string[];
  messages: string[];
  facts: number;
  /** Entries looked at. */
  entries: number;
  /** Entries in the bundle, when its central directory says (exact, whatever was looked at). */
  entriesTotal?: number;
  /** The listing stopped at the entry limit with more to come. */
  listingCut: boolean;
  /** The listing itself failed: the reason. */
  listingError?: string;
  /** `reason: count` for entries refused (bombs, caps, unreadable files): why nothing was usable, if so. */
  refusals: string[];
  zipName: string;
  snapshot?: Record<string, unknown>;
  timeRange?: { from: string; to: string };
}

const INPUT_KIND: Record<string, { kind: string; label: string }> = {
  bundle: { kind: 'azcmagent-logs-zip', label: 'azcmagent logs bundle' },
  folder: { kind: 'bundle-folder', label: 'extracted bundle folder' },
  snapshot: { kind: 'wac-doctor-snapshot', label: 'wac-doctor snapshot' },
};

/** `azcmagent-logs-250603T1407-SRV-WEB01.zip` / `azcmagent-20250603T140712-SRV-WEB01.zip` -> `SRV-WEB01`. */
export function machineFromBundleName(name: string): string | undefined {
  return /^azcmagent(?:-logs)?-\d{6,8}T\d{4,6}-(.+?)(?:\.zip)?$/i.exec(name)?.[1];
}

function snapshotString(snapshot: Record<string, unknown> | undefined, ...keys: string[]): string | undefined {
  if (!snapshot) return undefined;
  for (const key of keys) {
    const hit = Object.entries(snapshot).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
    if (typeof hit === 'string' && hit.trim()) return hit.trim();
  }
  return undefined;
}

/** `Debian GNU/Linux 12` with version `12`: a name that already ends with the version does not repeat it. */
export function osText(name: string | undefined, version: string | undefined): string {
  const n = name?.trim() ?? '';
  const v = version?.trim() ?? '';
  if (n && v && (n === v || n.endsWith(` ${v}`))) return n;
  return [n, v].filter(Boolean).join(' ');
}

function describeOs(store: FactStore, layout: Layout | undefined): string | undefined {
  const os = store.get('os');
  if (os && (os.name || os.version)) return osText(os.name, os.version);
  if (layout === 'windows') return 'Windows (from the bundle layout)';
  if (layout === 'linux') return 'Linux (from the bundle layout)';
  return undefined;
}

const listed = (names: string[]): string => (names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`);

/** A skipped rule whose missing facts a missing file would have stated says which file. */
function explainSkip(finding: Finding, missing: readonly ExpectedFile[]): Finding {
  if (finding.status !== 'skip' || !finding.missing?.length || missing.length === 0) return finding;
  const facts = finding.missing.flatMap((m) => m.split(' | '));
  const files = missing.filter((f) => facts.some((fact) => statesFact(f, fact.trim())));
  if (files.length === 0) return finding;
  return { ...finding, message: `${finding.message} This bundle lacks ${listed(files.map((f) => f.label))}, which would state it.` };
}

const EXPECTED = 'expected an azcmagent logs zip, an extracted bundle folder or a wac-doctor snapshot zip';

/** Exact: "among 250000 entries (the first 200000 looked at)", never the loop counter. */
function entryCount(b: BundleFindings): string {
  const total = b.entriesTotal ?? b.entries;
  if (!b.listingCut) return `${total} entries`;
  return b.entriesTotal !== undefined && b.entriesTotal > b.entries
    ? `${b.entriesTotal} entries (the first ${b.entries} looked at)`
    : `more than ${b.entries} entries (the first ${b.entries} looked at)`;
}

/** Why a bundle gave nothing: the listing failed, it is empty, or nothing known was in it (and what was refused). */
function nothingUsable(b: BundleFindings): string {
  if (b.entries === 0 && b.listingError) return `${b.name}: ${b.listingError}; ${EXPECTED}`;
  if (b.entries === 0) return `${b.name}: empty (no entries); ${EXPECTED}`;
  const refused = b.refusals.length > 0 ? `; not read: ${b.refusals.join('; ')}` : '';
  return `${b.name}: no agent logs, configuration or command outputs with known content among ${entryCount(b)}${refused}; ${EXPECTED}`;
}

export function finishReport(store: FactStore, b: BundleFindings, options: AnalyzeOptions): Report {
  // WAC manages Windows only; a Linux layout is itself the answer for os-version.
  if (b.layout === 'linux' && !store.has('os')) {
    const shown = b.allPaths.find((p) => /(?:^|\/)var\/(?:opt\/azcmagent|lib\/guestconfig|lib\/waagent)\//i.test(p));
    store.add(observe('os', { platform: 'linux', name: 'Linux' }, { source: 'bundle', ...(shown ? { path: shown } : {}), excerpt: 'Linux bundle layout (var/opt/azcmagent, var/lib/GuestConfig)' }));
  }
  const kind = INPUT_KIND[b.kind] ?? INPUT_KIND.bundle!;
  const messages = [...b.messages];
  let status: InputSummary['status'] = 'parsed';
  if (b.facts === 0) {
    status = 'unrecognized';
    messages.unshift(nothingUsable(b));
  }
  const inputs: InputSummary[] = [{ path: b.name, kind: kind.kind, label: kind.label, status, facts: b.facts, messages }];
  const report = evaluate(store, inputs, options, new Set(['bundle']));

  const missing = b.layout && b.kind !== 'snapshot' ? missingFiles(b.layout, b.allPaths) : [];
  // The span of time the logs cover is said once, in the target (target.timeRange), not on each finding.
  report.results = report.results.map((f) => explainSkip(f, missing));

  const target: TargetSummary = { kind: b.kind, name: b.name };
  const machine = store.get('machine.name') ?? snapshotString(b.snapshot, 'machine', 'machineName', 'computerName', 'hostname', 'host') ?? machineFromBundleName(b.zipName);
  if (machine) target.machine = machine;
  const os = describeOs(store, b.layout);
  if (os) target.os = os;
  const version = store.get('agent.version');
  if (version) target.agentVersion = version;
  if (b.timeRange) target.timeRange = b.timeRange;
  target.filesFound = b.filesRead;
  target.filesMissing = missing.map((f) => f.label);
  const notes = [...b.notes];
  if (b.filesReadCount > b.filesRead.length) notes.push(`${b.filesReadCount} files were read; the first ${b.filesRead.length} are listed.`);
  if (!b.layout && b.kind !== 'snapshot' && b.entries > 0) notes.push('No azcmagent logs layout (ProgramData/AzureConnectedMachineAgent or var/opt/azcmagent) was found; files were recognized by content only.');
  if (notes.length > 0) target.notes = notes;
  report.target = target;
  return report;
}
