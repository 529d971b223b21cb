/**
 * The `os` fact a bundle's layout implies when nothing in it states the OS: WAC manages Windows only, so a Linux
 * layout (var/opt/azcmagent, var/lib/GuestConfig, var/lib/waagent) is itself the answer for the os-version rule.
 * A Windows layout says nothing about the version, so it states nothing.
 */
import { observe, type Observation } from '../model/facts';
import type { FactStore } from '../engine/fact-store';

export type BundleLayout = 'windows' | 'linux';

const LINUX_PATH = /(?:^|\/)var\/(?:opt\/azcmagent|lib\/guestconfig|lib\/waagent)\//i;

/** A combiner for a bundle of `layout` whose entries are `paths`. */
export function osFromLayout(layout: BundleLayout | undefined, paths: readonly string[]): (facts: FactStore) => Observation<'os'> | undefined {
  return (facts) => {
    if (layout !== 'linux' || facts.has('os')) return undefined;
    const shown = paths.find((p) => LINUX_PATH.test(p));
    return observe('os', { platform: 'linux', name: 'Linux' }, { source: 'bundle', ...(shown ? { path: shown } : {}), excerpt: 'Linux bundle layout (var/opt/azcmagent, var/lib/GuestConfig)' });
  };
}
