/** The rule catalog, in report order: grouped by category in CATEGORY_ORDER (a test holds it). One rule a file; ids are stable. */
import type { Rule } from '../core/engine/rule';
import osVersion from './os-version';
import memory from './memory';
import clockOffset from './clock-offset';
import cloud from './cloud';
import azureVm from './azure-vm';
import agentVersion from './agent-version';
import agentStatus from './agent-status';
import agentServices from './agent-services';
import endpointWac from './endpoint-wac';
import endpointPas from './endpoint-pas';
import endpointServicebus from './endpoint-servicebus';
import websocket from './websocket';
import tlsInspection from './tls-inspection';
import connectOverride from './connect-override';
import tlsCipherSuites from './tls-cipher-suites';
import proxy from './proxy';
import arcConnectivity from './arc-connectivity';
import privateLink from './private-link';
import arcGateway from './arc-gateway';
import incomingPorts from './incoming-ports';
import extensionAllowed from './extension-allowed';
import wacService from './wac-service';
import wacFirewallRule from './wac-firewall-rule';
import wacPort from './wac-port';
import wacLocalHttps from './wac-local-https';
import wacExistingInstall from './wac-existing-install';
import extensionStatus from './extension-status';
import resourceProvider from './resource-provider';
import rbac from './rbac';
import serviceConfiguration from './service-configuration';
import license from './license';
import agentErrorCode from './agent-error-code';

export const RULES: readonly Rule[] = [
  osVersion,
  memory,
  clockOffset,
  cloud,
  azureVm,
  agentVersion,
  agentStatus,
  agentServices,
  agentErrorCode,
  endpointWac,
  endpointPas,
  endpointServicebus,
  websocket,
  tlsInspection,
  connectOverride,
  tlsCipherSuites,
  proxy,
  arcConnectivity,
  privateLink,
  arcGateway,
  incomingPorts,
  extensionAllowed,
  wacService,
  wacFirewallRule,
  wacPort,
  wacLocalHttps,
  wacExistingInstall,
  extensionStatus,
  resourceProvider,
  rbac,
  serviceConfiguration,
  license,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
