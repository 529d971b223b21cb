/**
 * `wac-doctor analyze <inputs...>`: sorts the inputs into targets and analyzes each.
 * - a zip (by its magic bytes, whatever its name) or a folder is one bundle target, one Report;
 * - so is a `wac-doctor-collect.ps1 -AsJson` document (by content: bare or as run-command JSON), a snapshot;
 * - every other input (text files, `-` for standard input) together forms ONE pasted target, as before.
 * Bundles run in parallel on worker threads; an unusable bundle comes back as a Report whose input is in
 * error with a one-line message. Reports are in the order of the inputs (the pasted target where its first
 * file was).
 */
import { stat } from 'node:fs/promises';
import { analyzeFiles } from './pasted';
import type { AnalyzeOptions } from '../engine/pipeline';
import { analyzeBundles, type PoolOptions } from './bundle/pool';
import { sniffSnapshotDoc } from './bundle/snapshot-doc';
import { isZipMagic, readMagic } from './bundle/zip-source';
import type { Report } from '../model/report';

export type TargetOptions = AnalyzeOptions & Omit<PoolOptions, keyof AnalyzeOptions>;

export type InputClass = 'zip' | 'folder' | 'document' | 'text';

/** Zip by magic bytes, folder, a snapshot document by content, or text (anything else, including paths that don't exist: analyzeFiles reports those). */
export async function classifyInput(path: string): Promise<InputClass> {
  if (path === '-') return 'text';
  try {
    const info = await stat(path);
    if (info.isDirectory()) return 'folder';
    if (!info.isFile()) return 'text';
    if (isZipMagic(await readMagic(path))) return 'zip';
    return (await sniffSnapshotDoc(path)) !== undefined ? 'document' : 'text';
  } catch {
    return 'text';
  }
}

export async function analyzeInputs(paths: readonly string[], options: TargetOptions, stdin?: NodeJS.ReadableStream): Promise<Report[]> {
  const classes = await Promise.all(paths.map(classifyInput));
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
