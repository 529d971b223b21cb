/**
 * The report's verdict when the inputs say too little to judge anything: no rule could pass, warn or fail.
 * Instead of a list of skips, the reader gets what to collect next: the commands whose outputs the rules read,
 * in the order a support engineer asks for them. Commands here are fixed text; nothing from the inputs.
 */
import type { Finding } from './types';

export interface CollectStep {
  /** What the output answers. */
  why: string;
  shell: 'powershell' | 'azcli';
  command: string;
}

export interface Conclusion {
  verdict: 'insufficient-data';
  message: string;
  collect: CollectStep[];
}

export const COLLECT_STEPS: readonly CollectStep[] = [
  { why: 'agent status, version, region and error code', shell: 'powershell', command: 'azcmagent show -j' },
  { why: 'incoming connection ports and proxy settings', shell: 'powershell', command: 'azcmagent config list -j' },
  { why: 'reachability of the Arc and WAC endpoints from the machine', shell: 'powershell', command: 'azcmagent check' },
  { why: 'the AdminCenter extension\'s state, version, port and status message', shell: 'azcli', command: 'az connectedmachine extension list --machine-name <machine-name> --resource-group <resource-group> -o json' },
  { why: 'the WAC gateway and agent services', shell: 'powershell', command: 'Get-Service himds, GCArcService, ExtensionService, WindowsAdminCenter, WindowsAdminCenterAccountManagement, ServerManagementGateway -ErrorAction SilentlyContinue | ConvertTo-Json' },
  { why: 'the agent, extension and gateway logs in one zip', shell: 'powershell', command: 'azcmagent logs --full' },
];

/** The conclusion for a set of findings, or undefined when at least one rule reached a verdict. */
export function conclude(results: readonly Finding[]): Conclusion | undefined {
  if (results.some((f) => f.status !== 'skip')) return undefined;
  return {
    verdict: 'insufficient-data',
    message: 'No cause can be determined from these inputs: they hold no machine data any check can read. Collect the outputs below from the Arc server (or run wac-doctor check there) and analyze them.',
    collect: [...COLLECT_STEPS],
  };
}
