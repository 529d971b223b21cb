/** Shared vocabulary of the engine: where data came from, what a rule concluded, how to fix it. */

export type SourceKind = 'pasted' | 'bundle' | 'live';

export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

export type Category = 'requirements' | 'agent' | 'network' | 'configuration' | 'gateway' | 'extension' | 'azure';

export const CATEGORY_ORDER: readonly Category[] = [
  'requirements', 'agent', 'network', 'configuration', 'gateway', 'extension', 'azure',
];

export const CATEGORY_TITLES: Record<Category, string> = {
  requirements: 'Machine requirements',
  agent: 'Connected Machine agent',
  network: 'Network path',
  configuration: 'Agent configuration',
  gateway: 'Windows Admin Center gateway',
  extension: 'AdminCenter extension',
  azure: 'Azure resources and access',
};

/** Where a fact (and so a finding) came from. Excerpts are raw here; reporters redact them. */
export interface Evidence {
  source: SourceKind;
  /** Input file (pasted), entry inside a bundle, or a live probe/command name. */
  path?: string;
  /** 1-based line in `path`. */
  line?: number;
  excerpt?: string;
  /** The fact was read from narrative text (a ticket's sentence), not from a command output or log field. */
  prose?: boolean;
}

export type Shell = 'powershell' | 'bash' | 'azcli';

/** How reporters label a command's shell (beside the command, never inside its text). */
export const SHELL_LABELS: Record<Shell, string> = { powershell: 'PowerShell', bash: 'bash', azcli: 'Azure CLI (PowerShell)' };

export interface FixCommand {
  shell: Shell;
  /** The exact text to paste or run: no prompt, every value quoted for `shell` (built from argument arrays: core/text/shell). */
  command: string;
}

export interface Fix {
  summary: string;
  commands: FixCommand[];
}

export interface Finding {
  ruleId: string;
  status: Status;
  title: string;
  category: Category;
  message: string;
  evidence: Evidence[];
  fix?: Fix;
  docsUrl: string;
  /** For skips: the facts the rule lacked. */
  missing?: string[];
}
