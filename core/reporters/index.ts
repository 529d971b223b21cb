/** Reporters render a Report (or several in a MultiReport); each format lives in its own module, loaded on demand. */
import type { FailOn, MultiReport, Report, TargetSummary } from '../model/report';
import type { Rule } from '../engine/rule';
import { SHELL_LABELS, type FixCommand } from '../model/types';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  /** The catalog the report was run with (SARIF rules[], docs links). */
  rules: readonly Rule[];
  /** ANSI colour (text only). */
  color: boolean;
  /** List skips with their reasons (text, markdown). */
  verbose: boolean;
  /** Redact secrets in every string that came from input. Default true; --no-redact turns it off. */
  redact: boolean;
  failOn: FailOn;
  /** SARIF: include passes and skips too (default: problems only, as GitHub code scanning shows every result). */
  sarifAll?: boolean;
}

export type Reporter = (report: Report | MultiReport, options: RenderOptions) => string;

/** True for a multi-target report (`analyze a.zip b.zip dir/`). */
export function isMultiReport(report: Report | MultiReport): report is MultiReport {
  return Array.isArray((report as Partial<MultiReport>).reports);
}

/** What a report is about, for headings and tables: the target's name, `pasted inputs` without one. */
export function targetName(report: Report): string {
  return report.target?.name ?? 'pasted inputs';
}

/** Label for a target kind. */
export const TARGET_KIND_LABEL: Record<TargetSummary['kind'], string> = {
  pasted: 'Pasted inputs', bundle: 'Bundle', folder: 'Folder', snapshot: 'Snapshot', live: 'Live host', machine: 'Arc machine (Resource Graph)',
};

/** The target's name is worth printing after its label (not for the default `pasted inputs`). */
export function hasOwnName(t: TargetSummary): boolean {
  return !(t.kind === 'pasted' && t.name === 'pasted inputs');
}

/**
 * A fix's commands in runs of the same shell, each run under its shell's label. Reporters print the label above the
 * commands, never a prompt inside them (`PS> ` pasted into PowerShell runs `PS`), so a command line copies as is.
 */
export function commandsByShell(commands: readonly FixCommand[]): Array<{ label: string; commands: FixCommand[] }> {
  const groups: Array<{ label: string; commands: FixCommand[] }> = [];
  for (const c of commands) {
    const label = SHELL_LABELS[c.shell] ?? String(c.shell);
    const last = groups[groups.length - 1];
    if (last && last.label === label) last.commands.push(c);
    else groups.push({ label, commands: [c] });
  }
  return groups;
}

export function render(format: Format, report: Report | MultiReport, options: RenderOptions): string {
  // Loaded lazily so `wac-doctor rules` does not pay for reporters it does not use.
  /* eslint-disable @typescript-eslint/no-require-imports */
  switch (format) {
    case 'text': return (require('./text') as { renderText: Reporter }).renderText(report, options);
    case 'json': return (require('./json') as { renderJson: Reporter }).renderJson(report, options);
    case 'sarif': return (require('./sarif') as { renderSarif: Reporter }).renderSarif(report, options);
    case 'junit': return (require('./junit') as { renderJunit: Reporter }).renderJunit(report, options);
    case 'markdown': return (require('./markdown') as { renderMarkdown: Reporter }).renderMarkdown(report, options);
    case 'csv': return (require('./csv') as { renderCsv: Reporter }).renderCsv(report, options);
  }
}
