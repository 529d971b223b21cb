/**
 * Live checks: `checkMachine` (wac-doctor check) and `collectSnapshot` (wac-doctor collect), and what the CLI
 * needs to validate their options early and print progress.
 */
export { checkMachine, reportFor } from './check';
export { collectSnapshot, MANIFEST_ENTRY, PROBES_ENTRY, type SnapshotManifest, type SnapshotOptions, type SnapshotResult } from './snapshot';
export {
  DEFAULT_TIMEOUT_MS, dnsServerOption, LiveOptionError, parseConnectTo, parseDnsServer, parseResolve, regionLabel, resolveOverride, validTimeout,
  type CheckOptions, type LiveProgress,
} from './options';
export { formatProgress } from './progress';
