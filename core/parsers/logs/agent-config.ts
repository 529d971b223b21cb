/**
 * The agent's configuration files in a bundle:
 * - `agentconfig.json` (registration): resource name, subscription, resource group, location, cloud, Private
 *   Link Scope -> machine.name, machine.resourceId, agent.location, agent.cloud, agent.privateLinkScope.
 *   Key names are not documented; they are matched case-insensitively among the usual spellings.
 * - `localconfig.json` (local settings, flat dotted keys) -> config.* through the `azcmagent config` parser.
 */
import { observe, type Observation } from '../../model/facts';
import { inputEvidence, jsonKeyLine, lineEvidence, ParseError, prop, type InputRef, type ParseResult } from '../parser';
import { configJsonParser } from '../azcmagent-config';
import type { Evidence } from '../../model/types';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export function parseAgentConfig(text: string, input: InputRef): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ParseError(`is not valid JSON (${(err as Error).message}); expected the agent's agentconfig.json`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ParseError('is not a JSON object; expected the agent\'s agentconfig.json');
  const lines = text.split('\n');
  const ev = (key: string): Evidence => {
    const at = jsonKeyLine(lines, key);
    return at >= 0 ? lineEvidence(input, at, lines[at]!) : inputEvidence(input, key);
  };
  const pick = (...keys: string[]): { value: string; key: string } | undefined => {
    for (const k of keys) {
      const v = str(prop(data, k));
      if (v) return { value: v, key: k };
    }
    return undefined;
  };
  const out: Observation[] = [];
  const name = pick('resourceName', 'machineName', 'name');
  if (name) out.push(observe('machine.name', name.value, ev(name.key)));
  const id = pick('resourceId', 'id');
  const sub = pick('subscriptionId');
  const rg = pick('resourceGroup', 'resourceGroupName');
  if (id && /^\/subscriptions\//i.test(id.value)) out.push(observe('machine.resourceId', id.value, ev(id.key)));
  else if (sub && rg && name) {
    out.push(observe('machine.resourceId', `/subscriptions/${sub.value}/resourceGroups/${rg.value}/providers/Microsoft.HybridCompute/machines/${name.value}`, ev(name.key)));
  }
  const location = pick('location', 'region');
  if (location) out.push(observe('agent.location', location.value.toLowerCase().replace(/\s+/g, ''), ev(location.key)));
  const cloud = pick('cloud', 'cloudName', 'environment');
  if (cloud) out.push(observe('agent.cloud', cloud.value, ev(cloud.key)));
  for (const k of ['privateLinkScope', 'privateLinkScopeResourceId', 'privateLinkScopeId']) {
    const v = prop(data, k);
    if (typeof v === 'string') {
      out.push(observe('agent.privateLinkScope', v.trim(), ev(k)));
      break;
    }
  }
  if (out.length === 0) throw new ParseError('has none of the expected keys (resourceName, subscriptionId, resourceGroup, location, cloud)');
  return { observations: out };
}

export function parseLocalConfig(text: string, input: InputRef): ParseResult {
  return configJsonParser.parse(text, input);
}
