/** OS and memory through systeminformation (osInfo, mem); a recorded source replaces it in tests. */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads systeminformation for start-up time */
import type { OsFact } from '../../../model/facts';

export interface SystemInfo {
  os?: OsFact;
  memoryTotalBytes?: number;
  hostname?: string;
}

export type SystemInfoSource = () => Promise<SystemInfo>;

/** systeminformation's OsData -> the os fact. Windows: distro is the caption, release the version, build the build. */
export function osFact(data: { platform: string; distro: string; release: string; build: string }): OsFact {
  const p = data.platform.toLowerCase();
  const platform: OsFact['platform'] = p === 'windows' || p === 'win32' ? 'windows' : p === 'linux' ? 'linux' : 'other';
  const fact: OsFact = { platform };
  if (platform === 'windows') {
    if (data.distro) fact.name = data.distro.trim();
    if (data.release) fact.version = data.release.trim();
    const build = Number.parseInt(data.build, 10);
    if (Number.isInteger(build) && build > 0) fact.build = build;
  } else {
    const name = [data.distro, data.release].filter(Boolean).join(' ').trim();
    if (name) fact.name = name;
    if (data.release) fact.version = data.release.trim();
  }
  return fact;
}

export const systeminformationSource: SystemInfoSource = async () => {
  // Loaded on use: systeminformation is large and only live checks need it.
  const si = require('systeminformation') as typeof import('systeminformation');
  const [os, mem] = await Promise.all([si.osInfo(), si.mem()]);
  return { os: osFact(os), memoryTotalBytes: mem.total, hostname: os.hostname };
};
