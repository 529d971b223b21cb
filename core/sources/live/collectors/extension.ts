/**
 * The AdminCenter extension on disk: `<plugins>\Microsoft.AdminCenter.AdminCenter\<version>\Status\<n>.status` (a JSON
 * array whose first item's `status` has `status`, `code`, `formattedMessage.message`) and, beside it,
 * `RuntimeSettings\<n>.settings` whose public settings carry the port and proxy. Paths are [inferred] from the
 * extension handler layout; a missing plugin folder means the extension is not installed.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdminCenterExtensionFact } from '../../../model/facts';
import { prop } from '../../../parsers/parser';
import { parsePort } from '../../../model/ports';
import { compareVersions, parseVersion } from '../../../model/version';
import type { FileArtifact } from '../artifacts';
import { SNAPSHOT_ENTRIES, WINDOWS_FILES } from '../collector-spec';

export const EXTENSION_DIR = 'Microsoft.AdminCenter.AdminCenter';

export function extensionRoots(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'win32') return [`${env.SystemDrive ?? 'C:'}\\${WINDOWS_FILES.extensionRoot}`];
  return [];
}

export interface ExtensionResult {
  /** The extension fact; undefined when no root exists (nothing to say). */
  fact?: AdminCenterExtensionFact;
  source?: string;
  files: FileArtifact[];
  error?: string;
}

const isDir = async (p: string): Promise<boolean> => {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
};

/** `<n>.status` / `<n>.settings` with the highest sequence number. */
async function latest(dir: string, ext: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  const seq = names.map((n) => new RegExp(`^(\\d+)\\${ext}$`, 'i').exec(n)).filter((m): m is RegExpExecArray => m !== null);
  seq.sort((a, b) => Number(b[1]) - Number(a[1]));
  return seq[0] ? join(dir, seq[0][0]) : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** The extension status file -> the fact's status fields. */
export function statusFields(text: string): Partial<AdminCenterExtensionFact> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  const item = Array.isArray(json) ? json[0] : json;
  const status = prop(item, 'status');
  const state = str(prop(status, 'status'))?.toLowerCase();
  if (!state) return undefined;
  const operation = str(prop(status, 'operation')) ?? '';
  const out: Partial<AdminCenterExtensionFact> = {};
  // success/warning -> Succeeded; error -> Failed; transitioning -> Creating (install) or Updating.
  out.provisioningState = state === 'error' ? 'Failed' : state === 'transitioning' ? (/install/i.test(operation) ? 'Creating' : 'Updating') : 'Succeeded';
  out.statusLevel = state === 'error' ? 'Error' : state === 'warning' ? 'Warning' : 'Info';
  const code = str(prop(status, 'code'));
  if (code !== undefined) out.statusCode = code;
  const message = str(prop(prop(status, 'formattedMessage'), 'message'));
  if (message) out.statusMessage = message;
  return out;
}

/** Port and proxy from the public handler settings. Protected settings are never read. */
export function settingsFields(text: string): Partial<AdminCenterExtensionFact> {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return {};
  }
  const rs = prop(json, 'runtimeSettings');
  const pub = prop(prop(Array.isArray(rs) ? rs[0] : rs, 'handlerSettings'), 'publicSettings');
  const out: Partial<AdminCenterExtensionFact> = {};
  const port = parsePort(prop(pub, 'port'));
  if (port !== undefined) out.settingsPort = port;
  const proxy = prop(pub, 'proxy');
  const mode = str(prop(proxy, 'mode'));
  const address = str(prop(proxy, 'address'));
  if (mode) out.proxyMode = mode;
  if (address) out.proxyAddress = address;
  return out;
}

export async function collectExtension(roots: string[]): Promise<ExtensionResult> {
  const existing: string[] = [];
  for (const r of roots) if (await isDir(r)) existing.push(r);
  if (existing.length === 0) {
    return roots.length ? { fact: { installed: false, name: 'AdminCenter' }, source: `no ${roots.join(' or ')}`, files: [] } : { files: [] };
  }
  const versions: Array<{ root: string; version: string }> = [];
  for (const root of existing) {
    for (const v of await readdir(root).catch(() => [] as string[])) if (parseVersion(v) && (await isDir(join(root, v)))) versions.push({ root, version: v });
  }
  versions.sort((a, b) => compareVersions(b.version, a.version));
  const top = versions[0];
  if (!top) return { fact: { installed: false, name: 'AdminCenter' }, source: `${existing[0]} has no version folder`, files: [] };
  const dir = join(top.root, top.version);
  const fact: AdminCenterExtensionFact = { installed: true, name: 'AdminCenter', version: top.version };
  const files: FileArtifact[] = [];
  const statusFile = (await latest(join(dir, 'Status'), '.status')) ?? (await latest(join(dir, 'status'), '.status'));
  let error: string | undefined;
  if (statusFile) {
    const text = await readFile(statusFile, 'utf8').catch(() => '');
    const fields = statusFields(text);
    if (fields) Object.assign(fact, fields);
    else error = `${statusFile}: not an extension status file`;
    if (text && text.length < 256 * 1024) files.push({ entry: `${SNAPSHOT_ENTRIES.extensionStatusPrefix}/${top.version}/Status/${statusFile.replace(/^.*[\\/]/, '')}`, text });
  } else {
    error = `${dir}: no Status\\<n>.status file`;
  }
  const settingsFile = (await latest(join(dir, 'RuntimeSettings'), '.settings')) ?? (await latest(join(dir, 'runtimesettings'), '.settings'));
  if (settingsFile) Object.assign(fact, settingsFields(await readFile(settingsFile, 'utf8').catch(() => '')));
  return { fact, source: statusFile ?? dir, files, ...(error ? { error } : {}) };
}
