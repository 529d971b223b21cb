/**
 * What `explain <id>` shows as the fixes a rule can propose: each catalog fix (core/catalog/fixes) a rule names in
 * `meta.fixes`, built with nothing known, so every value the inputs would fill in is a <placeholder>. A test holds
 * each rule's `meta.fixes` to the fixes its source actually calls.
 */
import { fixes } from './fixes';
import type { Fix } from '../model/types';

/** Catalog fixes a rule can name (combine and manual are how fixes are put together, not fixes of their own). */
export type ProposableFix = Exclude<keyof typeof fixes, 'combine' | 'manual'>;

const EXAMPLES: { readonly [K in ProposableFix]: () => Fix } = {
  setIncomingPorts: () => fixes.setIncomingPorts([6516]),
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
  restartWacGateway: () => fixes.restartWacGateway(),
  enableService: () => fixes.enableService('ServerManagementGateway'),
  excludeFromTlsInspection: () => fixes.excludeFromTlsInspection(['<host>']),
  fixPrivateDns: () => fixes.fixPrivateDns(['<host>']),
  assignWacRole: () => fixes.assignWacRole(),
  setAgentProxy: () => fixes.setAgentProxy(),
  openOutbound: () => fixes.openOutbound(['<host>']),
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
  openGateway: () => fixes.openGateway(undefined),
  resyncClock: () => fixes.resyncClock(),
};

export function fixExample(name: ProposableFix): Fix {
  return EXAMPLES[name]();
}
