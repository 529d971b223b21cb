/**
 * `wac-doctor collect`: the live collection written as a zip for analysis elsewhere. Entries:
 * - `wac-doctor-snapshot.json`: the manifest {tool, version, createdAt, host, platform, ...};
 * - `commands/*`: raw command outputs, exactly what the pasted parsers read;
 * - `probes.json`: the probes document (wacDoctorProbesParser);
 * - `files/*`: collected files (the AdminCenter extension status file).
 * Everything is redacted (core/text/redact) unless `redact: false`.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import yazl from 'yazl';
import { redact, redactDeep } from '../../text/redact';
import { TOOL_NAME, TOOL_VERSION } from '../../model/report';
import { collect } from './collect';
import { SNAPSHOT_ENTRIES } from './collector-spec';
import type { CheckOptions } from './options';

export const MANIFEST_ENTRY = SNAPSHOT_ENTRIES.manifest;
export const PROBES_ENTRY = SNAPSHOT_ENTRIES.probes;

export interface SnapshotManifest {
  tool: string;
  version: string;
  createdAt: string;
  host: string;
  platform: string;
  redacted: boolean;
  entries: string[];
  notes: string[];
}

export interface SnapshotOptions extends Omit<CheckOptions, 'rules'> {
  /** Redact credentials, tokens and signatures (default true). */
  redact?: boolean;
}

export interface SnapshotResult {
  path: string;
  entries: string[];
  notes: string[];
  durationMs: number;
}

export async function collectSnapshot(outputZip: string, options: SnapshotOptions): Promise<SnapshotResult> {
  const c = await collect({ ...options, rules: [] });
  const doRedact = options.redact !== false;
  const clean = (t: string): string => (doRedact ? redact(t) : t);
  const entries: Array<[string, string]> = [];
  for (const cmd of c.commands) entries.push([cmd.entry, clean(cmd.text)]);
  entries.push([PROBES_ENTRY, `${JSON.stringify(doRedact ? redactDeep(c.probes) : c.probes, null, 2)}\n`]);
  for (const f of c.files) entries.push([f.entry, clean(f.text)]);
  const manifest: SnapshotManifest = {
    tool: TOOL_NAME, version: TOOL_VERSION, createdAt: c.probes.createdAt, host: c.probes.host, platform: c.probes.platform,
    redacted: doRedact, entries: entries.map(([name]) => name), notes: (c.probes.notes ?? []).map(clean),
  };
  const mtime = new Date(c.probes.createdAt);
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), MANIFEST_ENTRY, { mtime });
  for (const [name, text] of entries) zip.addBuffer(Buffer.from(text, 'utf8'), name, { mtime });
  zip.end();

  // Written beside the target and renamed, so a failed run never leaves half a zip under the requested name.
  const tmp = `${outputZip}.${process.pid}.tmp`;
  try {
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(tmp);
      out.on('error', reject);
      out.on('close', () => resolve());
      zip.outputStream.on('error', reject);
      zip.outputStream.pipe(out);
    });
    await rename(tmp, outputZip);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return { path: outputZip, entries: [MANIFEST_ENTRY, ...manifest.entries], notes: manifest.notes, durationMs: c.durationMs };
}
