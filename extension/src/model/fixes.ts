/**
 * Looking up fix commands and planning how to run one. Commands are only ever taken from a stored
 * finding's fix (built by core's fix catalog from validated values), addressed by target, rule and
 * index: never from a message, a webview or command arguments.
 */
import { redact } from '../../../core/text/redact';
import type { FixCommand } from '../../../core/model/types';
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
 * on PATH, which matters off Windows. az commands are PowerShell command lines (core/catalog/fixes quotes them for
 * PowerShell), so they run in PowerShell too, never in "the default shell" (cmd keeps single quotes as text).
 */
export function terminalPlan(cmd: FixCommand, platform: NodeJS.Platform, hasPwsh: boolean): TerminalPlan {
  // Catalog commands never carry a secret; one that the redactor would change is not run from here.
  if (redact(cmd.command) !== cmd.command) return { ok: false, reason: 'This command contains text that looks like a secret, so it is not run from here. Review it and run it yourself.' };
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
      if (platform === 'win32') return { ok: true, shellPath: 'powershell.exe', shellLabel: 'Windows PowerShell (needs the Azure CLI, signed in)', ...base };
      if (hasPwsh) return { ok: true, shellPath: 'pwsh', shellLabel: 'PowerShell (pwsh; needs the Azure CLI, signed in)', ...base };
      return { ok: false, reason: 'This Azure CLI command is written for PowerShell, and PowerShell (pwsh) is not installed here. Copy it and run it in PowerShell (or Cloud Shell in PowerShell).' };
  }
}

/** What "Copy" puts on the clipboard: the commands, one a line, through the one redactor unless redaction is off. */
export function copyText(commands: readonly FixCommand[], redactOn: boolean): string {
  const text = commands.map((c) => c.command).join('\n');
  return redactOn ? redact(text) : text;
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
