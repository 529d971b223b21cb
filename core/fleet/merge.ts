/**
 * A fleet together with collector snapshots of some of its machines (`wac-doctor-collect.ps1 -AsJson` output, bare
 * or in `az connectedmachine run-command show` JSON, as `wac-doctor fleet-collect` saves them): a snapshot of a fleet
 * machine — same resource id, or failing that the same machine name and resource group — makes ONE report with the
 * machine's Resource Graph facts. Both feed one FactStore, so the newest observation of each fact wins, as for any
 * inputs. Snapshots of machines not in the fleet are reported alone.
 */
import type { FactStore } from '../engine/fact-store';
import { analyzeBundle, type BundleOptions } from '../sources/bundle/analyze-bundle';
import type { Report } from '../model/report';
import { analyzeFleet, type FleetOptions, type FleetRun } from './analyze';
import type { FleetMachineId } from './machine';
import { FleetSummaryBuilder } from './summary';

interface SnapshotIdentity {
  id?: string;
  nameGroup?: string;
}

const nameGroupKey = (name: string, group: string): string => `${name.toLowerCase()}\n${group.toLowerCase()}`;

function identityOf(store: FactStore): SnapshotIdentity {
  const id = store.get('machine.resourceId');
  const name = store.get('machine.name');
  const group = id ? /\/resourceGroups\/([^/]+)\//i.exec(id)?.[1] : undefined;
  return {
    ...(id ? { id: id.toLowerCase() } : {}),
    ...(name && group ? { nameGroup: nameGroupKey(name, group) } : {}),
  };
}

function matches(who: SnapshotIdentity, m: FleetMachineId): boolean {
  if (who.id) return who.id === m.key;
  return who.nameGroup !== undefined && m.resourceGroup !== undefined && who.nameGroup === nameGroupKey(m.name, m.resourceGroup);
}

export interface MergedFleetRun extends FleetRun {
  /** Snapshot reports: merged with their fleet machine (target.id set) or alone. */
  snapshotReports: Report[];
}

/** The fleet in `fleetPaths` with the snapshot documents in `snapshotPaths` merged into their machines. */
export async function analyzeFleetWithSnapshots(fleetPaths: readonly string[], snapshotPaths: readonly string[], options: FleetOptions & BundleOptions): Promise<MergedFleetRun> {
  const { onReport: _onReport, hold: _hold, extraFacts: _extra, ...bundleOptions } = options;
  // First read of each snapshot: who it is (small documents; read again below when merged).
  const alone: Report[] = [];
  const identities: SnapshotIdentity[] = [];
  for (const path of snapshotPaths) {
    let who: SnapshotIdentity = {};
    alone.push(await analyzeBundle(path, { ...bundleOptions, extraFacts: (store) => ((who = identityOf(store)), []) }));
    identities.push(who);
  }
  const builder = new FleetSummaryBuilder(options);
  const run = await analyzeFleet(fleetPaths, { ...options, summary: builder, hold: (m) => identities.some((who) => matches(who, m)) });
  const snapshotReports: Report[] = [];
  for (const [i, path] of snapshotPaths.entries()) {
    const held = run.held.find((h) => matches(identities[i]!, h.machine));
    if (!held) {
      snapshotReports.push(alone[i]!);
      continue;
    }
    const report = await analyzeBundle(path, { ...bundleOptions, extraFacts: () => held.observations });
    report.inputs.push(held.input);
    report.target = { ...(report.target ?? { kind: 'snapshot', name: path }), machine: held.machine.name, id: held.machine.id };
    builder.add(report);
    snapshotReports.push(report);
  }
  return { ...run, summary: builder.result(), snapshotReports };
}
