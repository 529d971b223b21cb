/**
 * What `explain <id>` shows as the fixes a rule can propose: each catalog fix (core/catalog/fixes) a rule names in
 * `meta.fixes`, built with nothing known, so every value the inputs would fill in is a <placeholder>. A test holds
 * each rule's `meta.fixes` to the fixes its source actually calls.
 */
import { fixes } from './fixes';
import type { Fix } from '../model/types';
import { DEFAULT_WAC_PORT } from '../model/ports';

/** Catalog fixes a rule can name (combine and manual are how fixes are put together, not fixes of their own). */
export type ProposableFix = Exclude<keyof typeof fixes, 'combine' | 'manual'>;

const EXAMPLES: { readonly [K in ProposableFix]: () => Fix } = {
  setIncomingPorts: () => fixes.setIncomingPorts([DEFAULT_WAC_PORT]),
  enableIncomingConnections: () => fixes.enableIncomingConnections(),
  startService: () => fixes.startService('himds'),
  registerProvider: () => fixes.registerProvider('Microsoft.HybridConnectivity'),
  upgradeAgent: () => fixes.upgradeAgent(),
  reconnectAgent: () => fixes.reconnectAgent(),
  allowWacExtension: () => fixes.allowWacExtension(),
  unblockWacExtension: () => fixes.unblockWacExtension(),
  enableExtensions: () => fixes.enableExtensions(),
  fullConfigMode: () => fixes.fullConfigMode(),
  reinstallExtension: () => fixes.reinstallExtension(),
  setExtensionProxy: () => fixes.setExtensionProxy(),
  updateExtensionPort: () => fixes.updateExtensionPort(),
  restartWacGateway: () => fixes.restartWacGateway(),
  allowWacInbound: () => fixes.allowWacInbound('WindowsAdminCenter', undefined, false),
  enableService: () => fixes.enableService('ServerManagementGateway'),
  excludeFromTlsInspection: () => fixes.excludeFromTlsInspection(['<host>']),
  allowWebSockets: () => fixes.allowWebSockets(['<host>']),
  fixPrivateDns: () => fixes.fixPrivateDns(['<host>']),
  assignWacRole: () => fixes.assignWacRole(),
  setAgentProxy: () => fixes.setAgentProxy(),
  openOutbound: () => fixes.openOutbound(['<host>']),
  checkRefusedConnection: () => fixes.checkRefusedConnection(['<host>']),
  installExtension: () => fixes.installExtension(),
  clearStuckExtension: () => fixes.clearStuckExtension(),
  fixDnsResolution: () => fixes.fixDnsResolution(['<host>']),
  upgradeAgentInPlace: () => fixes.upgradeAgentInPlace(),
  openWacOutbound: () => fixes.openWacOutbound(undefined, []),
  setWacServiceConfiguration: () => fixes.setWacServiceConfiguration(undefined, undefined),
  demandStartService: () => fixes.demandStartService('ServerManagementGateway'),
  enableTlsCipherSuites: () => fixes.enableTlsCipherSuites([]),
  attestSoftwareAssurance: () => fixes.attestSoftwareAssurance(undefined, undefined),
  clearProxyBypass: () => fixes.clearProxyBypass(),
  allowRevocationChecks: () => fixes.allowRevocationChecks(),
  openGateway: () => fixes.openGateway(undefined),
  resyncClock: () => fixes.resyncClock(),
};

export function fixExample(name: ProposableFix): Fix {
  return EXAMPLES[name]();
}
