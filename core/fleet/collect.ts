/**
 * `wac-doctor fleet-collect`: the Azure Arc Run Command lines that run the Windows collector
 * (collector/wac-doctor-collect.ps1 -AsJson) on the machines a fleet export left not ready or unknown (or on the
 * machines named by resource id), and save each output where `wac-doctor analyze` merges it with the fleet.
 * Every value is validated against Azure's naming rules (core/fix-values) and quoted for PowerShell by core/shell;
 * a machine whose name, group or subscription fails is refused with a one-line message and no command.
 */
import * as valid from '../catalog/fix-values';
import { AZURE_REGIONS, normalizeRegion } from '../catalog/regions';
import { placeholder, raw, render, value, type Word } from '../text/shell';
import type { FixCommand } from '../model/types';

export const RUN_COMMAND_NAME = 'wac-doctor-collect';

export interface CollectTarget {
  id?: string;
  name: string;
  resourceGroup?: string;
  subscriptionId?: string;
  location?: string;
  /** Why it needs a closer look (not ready: rule id; unknown), for the comment line. */
  reason?: string;
}

export interface CollectPlan {
  machine: string;
  create: FixCommand;
  show: FixCommand;
  /** Where the show command saves the output. */
  outputFile: string;
  reason?: string;
}

export type CollectResult = { ok: true; plan: CollectPlan } | { ok: false; message: string };

const shownName = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** The two commands for one machine, or why it is refused. */
export function collectCommands(target: CollectTarget, collectorPath: string): CollectResult {
  const name = valid.machineName(target.name);
  const group = valid.resourceGroup(target.resourceGroup);
  const sub = target.subscriptionId === undefined ? undefined : valid.guid(target.subscriptionId);
  if (!name) return { ok: false, message: `machine name ${shownName(target.name)} is not a valid Arc machine name (1-54 letters, digits, _ . -); refused` };
  if (!group) return { ok: false, message: `machine ${name}: resource group ${shownName(target.resourceGroup ?? '')} is not a valid resource group name; refused` };
  if (target.subscriptionId !== undefined && !sub) return { ok: false, message: `machine ${name}: subscription ${shownName(target.subscriptionId)} is not a subscription id (GUID); refused` };
  const region = target.location && AZURE_REGIONS.includes(normalizeRegion(target.location)) ? normalizeRegion(target.location) : undefined;
  const where: Word[] = ['--resource-group', value(group), '--machine-name', value(name), ...(sub ? ['--subscription', value(sub)] : [])];
  const outputFile = `${name}.json`;
  const create = render({
    shell: 'azcli',
    statements: [['az', 'connectedmachine', 'run-command', 'create', ...where,
      '--location', region ? value(region) : placeholder('<region>'),
      '--name', RUN_COMMAND_NAME, '--script', value(`@${collectorPath}`), '--parameters', value('[{name:AsJson,value:true}]'),
      '--async-execution', 'false']],
  });
  const show = render({
    shell: 'azcli',
    statements: [['az', 'connectedmachine', 'run-command', 'show', ...where, '--name', RUN_COMMAND_NAME,
      '--query', 'instanceView.output', '-o', 'tsv', raw('>'), value(outputFile)]],
  });
  return { ok: true, plan: { machine: name, create, show, outputFile, ...(target.reason ? { reason: target.reason } : {}) } };
}

/** A machine named by its resource id (validated as a whole: subscription GUID, group, name). */
export function targetFromId(id: string): CollectTarget | undefined {
  const m = valid.machineId(id);
  return m ? { id: m.id, name: m.machine, resourceGroup: m.resourceGroup, subscriptionId: m.subscription } : undefined;
}
