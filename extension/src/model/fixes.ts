/**
 * Looking up fix commands and planning how to run one. Commands are only ever taken from a stored
 * finding's fix (built by core's fix catalog from validated values), addressed by target, rule and
 * index: never from a message, a webview or command arguments.
 */
import type { FixCommand } from '../../../core/types';
import type { TargetStore } from './store';

export interface FixRef {
  targetId: string;
  ruleId: string;
  commandIndex?: number;
}

export interface ResolvedFix {
  title: string;
  summary: string;
  commands: FixCommand[];
}

export function resolveFix(store: TargetStore, ref: FixRef): ResolvedFix | undefined {
  const finding = store.get(ref.targetId)?.report.results.find((r) => r.ruleId === ref.ruleId);
  if (!finding?.fix || finding.fix.commands.length === 0) return undefined;
  const commands = ref.commandIndex === undefined ? finding.fix.commands : finding.fix.commands.slice(ref.commandIndex, ref.commandIndex + 1);
  return commands.length ? { title: finding.title, summary: finding.fix.summary, commands } : undefined;
}

/** `<resource-group>`, `<region>`: values WAC Doctor did not know, for the user to fill in. */
const PLACEHOLDER = /<[A-Za-z][\w:/.-]*>/g;

export function placeholders(command: string): string[] {
  return [...new Set(command.match(PLACEHOLDER) ?? [])];
}

export type TerminalPlan =
  | {
    ok: true;
    /** undefined: the user's default terminal profile. */
    shellPath?: string;
    shellLabel: string;
    /** false: the command is typed but not run, because placeholders must be filled in first. */
    execute: boolean;
    placeholders: string[];
  }
  | { ok: false; reason: string };

/**
 * Which shell runs a command on this platform. `hasPwsh` says whether PowerShell 7 (`pwsh`) is
 * on PATH, which matters off Windows.
 */
export function terminalPlan(cmd: FixCommand, platform: NodeJS.Platform, hasPwsh: boolean): TerminalPlan {
  const ph = placeholders(cmd.command);
  const base = { execute: ph.length === 0, placeholders: ph };
  switch (cmd.shell) {
    case 'powershell':
      if (platform === 'win32') return { ok: true, shellPath: 'powershell.exe', shellLabel: 'Windows PowerShell', ...base };
      if (hasPwsh) return { ok: true, shellPath: 'pwsh', shellLabel: 'PowerShell (pwsh)', ...base };
      return { ok: false, reason: 'This is a PowerShell command for the Windows machine, and PowerShell (pwsh) is not installed here. Copy it and run it on the machine instead.' };
    case 'bash':
      if (platform === 'win32') return { ok: false, reason: 'This command is for a Linux machine. Copy it and run it there instead.' };
      return { ok: true, shellLabel: 'the default shell', ...base };
    case 'azcli':
      return { ok: true, shellLabel: 'the default shell (needs the Azure CLI, signed in)', ...base };
  }
}

/** The modal confirmation's detail: the exact command, then where and how it runs. */
export function confirmationDetail(fix: ResolvedFix, cmd: FixCommand, plan: TerminalPlan & { ok: true }): string {
  return [
    cmd.command,
    '',
    `Runs in ${plan.shellLabel}, in a new terminal named "WAC Doctor fix".`,
    plan.execute ? '' : `It contains ${plan.placeholders.join(', ')}: it is typed into the terminal without running, so you can fill these in first.`,
    `From: ${fix.title}. ${fix.summary}`,
  ].filter((l, i) => l !== '' || i === 1).join('\n');
}
