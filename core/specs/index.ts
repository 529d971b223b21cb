/**
 * The one table of what feeds which parser (after insights-core's specs: a parser is bound to a datum, each source
 * says where the datum is). A spec is one datum, e.g. the extension's `.status` file or `azcmagent show -j`:
 * - bundle: the entry paths that hold it (lower-case, `/`-separated), claimed by path before any content is read;
 * - live: the commands that produce it (core/sources/live/collector-spec's argv, which the PowerShell collector
 *   carries as its generated block);
 * - pasted: whether the parser also claims it by content (its `detect`), as a pasted file or an unclaimed entry.
 * Each names one parser: the same one whichever source delivered the text.
 */
import { PASTED_PARSERS } from '../parsers';
import { WINDOWS_COMMANDS, type CommandSpec } from '../sources/live/collector-spec';
import type { TextParser } from '../parsers/parser';

/** Parsers of files a bundle holds by path (core/parsers/files.ts); `snapshot-manifest` marks a snapshot. */
export type FileParserId = 'extension-status' | 'extension-report' | 'agent-config' | 'local-config' | 'snapshot-manifest';

export interface BundleFileSpec {
  id: string;
  parser: FileParserId;
  /** Matched against the entry's lower-cased path. */
  paths: readonly RegExp[];
}

export const SNAPSHOT_MANIFEST = 'wac-doctor-snapshot.json';

/** Files claimed by path in a bundle, in precedence order (the first match wins). */
export const BUNDLE_FILES: readonly BundleFileSpec[] = [
  { id: 'snapshot.manifest', parser: 'snapshot-manifest', paths: [/(?:^|\/)wac-doctor-snapshot\.json$/] },
  // Plugins/<Publisher.Type>/<version>/Status/<n>.status, waagent/<Publisher.Type>-<version>/status/<n>.status, snapshots.
  { id: 'extension.status', parser: 'extension-status', paths: [/\.status$/] },
  { id: 'extension.report', parser: 'extension-report', paths: [/(?:^|\/)extension_reports\/[^/]+_report\.txt$/] },
  { id: 'agent.agentconfig', parser: 'agent-config', paths: [/(?:^|\/)agentconfig\.json$/] },
  { id: 'agent.localconfig', parser: 'local-config', paths: [/(?:^|\/)localconfig\.json$/, /(?:^|\/)etc\/azcmagent\/config\.json$/] },
];

/** The file spec that claims a bundle entry by its path, if any. */
export function bundleFileSpec(path: string): BundleFileSpec | undefined {
  const p = path.toLowerCase();
  return BUNDLE_FILES.find((s) => s.paths.some((re) => re.test(p)));
}

/** The text parser of a parser id (PASTED_PARSERS), for live command outputs and pasted text alike. */
export function textParser(id: string): TextParser {
  const p = PASTED_PARSERS.find((x) => x.id === id);
  if (!p) throw new Error(`no parser ${id}`);
  return p;
}

/** The live command of a spec id and the parser that reads its output. */
export function liveCommand(id: string): CommandSpec & { textParser?: TextParser } {
  const c = WINDOWS_COMMANDS.find((x) => x.id === id);
  if (!c) throw new Error(`no command spec ${id}`);
  return c.parser === 'none' ? c : { ...c, textParser: textParser(c.parser) };
}

export interface Spec {
  /** The parser id. */
  parser: string;
  bundle: readonly RegExp[];
  /** Live command ids (core/sources/live/collector-spec). */
  live: readonly string[];
  /** Claimed by content when pasted (or met unclaimed in a bundle). */
  pasted: boolean;
}

/** Every parser with every way its format arrives: the table a reader (or `docs/architecture.md`) looks up. */
export function specTable(): Spec[] {
  const ids = [...new Set([...BUNDLE_FILES.map((b) => b.parser), ...PASTED_PARSERS.map((p) => p.id)])];
  return ids.map((parser) => ({
    parser,
    bundle: BUNDLE_FILES.filter((b) => b.parser === parser).flatMap((b) => b.paths),
    live: WINDOWS_COMMANDS.filter((c) => c.parser === parser).map((c) => c.id),
    pasted: PASTED_PARSERS.some((p) => p.id === parser),
  }));
}
