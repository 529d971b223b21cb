/**
 * `wac-doctor analyze <inputs...>`: sorts the inputs into targets and analyzes each.
 * - a zip (by its magic bytes, whatever its name) or a folder is one bundle target, one Report;
 * - so is a `wac-doctor-collect.ps1 -AsJson` document (by content: bare or as run-command JSON), a snapshot;
 * - Azure Resource Graph exports (by content: core/fleet/sniff) together form ONE fleet, one Report per machine; a
 *   snapshot document of a fleet machine is merged with its Resource Graph facts (core/fleet/merge);
 * - every other input (text files, `-` for standard input) together forms ONE pasted target, as before.
 * Bundles run in parallel on worker threads; an unusable bundle comes back as a Report whose input is in
 * error with a one-line message. Reports are in the order of the inputs (the pasted target where its first
 * file was).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads the fleet merge for start-up time */
import { stat } from 'node:fs/promises';
import { analyzeFiles } from './pasted';
import type { AnalyzeOptions } from '../engine/pipeline';
import { analyzeBundles, type PoolOptions } from './bundle/pool';
import { sniffSnapshotDoc } from './bundle/snapshot-doc';
import { isZipMagic, readMagic } from './bundle/zip-source';
import { sniffFleetExport } from '../fleet/sniff';
import type { FleetSummary } from '../fleet/summary';
import type { InputSummary, Report } from '../model/report';

export type TargetOptions = AnalyzeOptions & Omit<PoolOptions, keyof AnalyzeOptions>;

export type InputClass = 'zip' | 'folder' | 'document' | 'fleet' | 'text';

/** Zip by magic bytes, folder, a snapshot document or a Resource Graph export by content, or text (anything else, including paths that don't exist: analyzeFiles reports those). */
export async function classifyInput(path: string): Promise<InputClass> {
  if (path === '-') return 'text';
  try {
    const info = await stat(path);
    if (info.isDirectory()) return 'folder';
    if (!info.isFile()) return 'text';
    if (isZipMagic(await readMagic(path))) return 'zip';
    // An export first, from its head (64 KiB): the document sniff reads a JSON object whole (up to 64 MiB), and an
    // export is an object too. A document is never taken for an export (its head names wacDoctorSnapshot, or its
    // first key is not an export wrapper's).
    if (await sniffFleetExport(path)) return 'fleet';
    return (await sniffSnapshotDoc(path)) !== undefined ? 'document' : 'text';
  } catch {
    return 'text';
  }
}

export interface FleetResult {
  summary: FleetSummary;
  /** One per export page: shape, rows, and the page's problems. */
  pages: InputSummary[];
}

/**
 * With Resource Graph exports among the inputs: the fleet's machine reports (snapshots of its machines merged in),
 * then the other inputs' reports as analyzeInputs makes them. Keeps every report: the CLI streams large fleets itself.
 */
export async function analyzeInputsWithFleet(paths: readonly string[], options: TargetOptions, stdin?: NodeJS.ReadableStream): Promise<{ reports: Report[]; fleet?: FleetResult }> {
  const classes = await Promise.all(paths.map(classifyInput));
  const fleetPaths = paths.filter((_, i) => classes[i] === 'fleet');
  if (fleetPaths.length === 0) return { reports: await analyzeClassified(paths, classes, options, stdin) };
  const docs = paths.filter((_, i) => classes[i] === 'document');
  const rest = paths.filter((_, i) => classes[i] !== 'fleet' && classes[i] !== 'document');
  const { analyzeFleetWithSnapshots } = require('../fleet/merge') as typeof import('../fleet/merge');
  const run = await analyzeFleetWithSnapshots(fleetPaths, docs, options);
  const others = rest.length > 0 ? await analyzeClassified(rest, await Promise.all(rest.map(classifyInput)), options, stdin) : [];
  return { reports: [...run.reports, ...run.snapshotReports, ...others], fleet: { summary: run.summary, pages: run.inputs } };
}

export async function analyzeInputs(paths: readonly string[], options: TargetOptions, stdin?: NodeJS.ReadableStream): Promise<Report[]> {
  return (await analyzeInputsWithFleet(paths, options, stdin)).reports;
}

async function analyzeClassified(paths: readonly string[], classes: InputClass[], options: TargetOptions, stdin?: NodeJS.ReadableStream): Promise<Report[]> {
  const textPaths = paths.filter((_, i) => classes[i] === 'text');
  const bundlePaths = paths.filter((_, i) => classes[i] !== 'text');

  const [pasted, bundles] = await Promise.all([
    textPaths.length > 0 ? analyzeFiles(textPaths, options, stdin) : Promise.resolve(undefined),
    bundlePaths.length > 0 ? analyzeBundles(bundlePaths, options) : Promise.resolve([] as Report[]),
  ]);
  if (pasted && bundles.length > 0) pasted.target = { kind: 'pasted', name: 'pasted inputs' };

  const out: Report[] = [];
  let b = 0;
  let pastedPlaced = false;
  classes.forEach((cls) => {
    if (cls !== 'text') out.push(bundles[b++]!);
    else if (!pastedPlaced && pasted) {
      out.push(pasted);
      pastedPlaced = true;
    }
  });
  return out;
}
