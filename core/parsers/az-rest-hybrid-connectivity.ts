/**
 * The Azure side of the WAC reverse proxy, as `az rest --method get --uri ...` or `Invoke-AzRestMethod -Method GET -Path ...`
 * print it (HybridConnectivity REST, api-version 2023-03-15; azure-rest-api-specs `specification/hybridconnectivity`
 * examples EndpointsGetDefault.json and ServiceConfigurationsGetWAC.json; the WAC doc's automation script):
 * - `.../providers/Microsoft.HybridConnectivity/endpoints/default`: `{"type":"Microsoft.HybridConnectivity/endpoints","properties":{"type":"default",...}}`
 * - `.../endpoints/default/serviceconfigurations/WAC`: `{"type":"Microsoft.HybridConnectivity/endpoints/serviceConfigurations",
 *   "properties":{"serviceName":"WAC","port":6516,"provisioningState":"Succeeded"}}` (port an integer), or a list `{"value":[...]}`
 * - a 404: az rest `ERROR: Not Found({"error":{"code":"ResourceNotFound",...}})`, Invoke-AzRestMethod `StatusCode : 404`.
 */
import { observe, type HybridEndpointFact, type Observation, type WacServiceConfigurationFact } from '../model/facts';
import { inputEvidence, lineEvidence, ParseError, prop, type InputRef, type ParseResult, type TextParser } from './parser';
import type { Evidence } from '../model/types';
import { isObject, parseJsonInput, str } from './az-extension';

const SERVICE_CONFIG_TYPE = /"type"\s*:\s*"Microsoft\.HybridConnectivity\/endpoints\/serviceConfigurations"/i;
const ENDPOINT_TYPE = /"type"\s*:\s*"Microsoft\.HybridConnectivity\/endpoints"/i;
const NOT_FOUND = /\bResourceNotFound\b|\bNot Found\b|^[ \t]*StatusCode[ \t]*:[ \t]*404[ \t]*$/im;
const MENTIONS_WAC_CONFIG = /endpoints\/default\/serviceconfigurations(?:\/WAC)?\b/i;
const MENTIONS_ENDPOINT = /HybridConnectivity\/endpoints\/default\b/i;
const INVOKE_CONTENT = /^\s*Content\s*:\s?(.*)$/;
const LIST_KEY = /^\s*[A-Za-z]+\s*:\s/;

/** Invoke-AzRestMethod prints `Content : {...}`; PowerShell wraps long values onto indented lines. */
function invokeContent(lines: readonly string[]): { json: string; line: number } | undefined {
  const i = lines.findIndex((l) => INVOKE_CONTENT.test(l));
  if (i < 0) return undefined;
  let json = INVOKE_CONTENT.exec(lines[i]!)![1]!.trim();
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j]!;
    if (!/^\s+\S/.test(l) || LIST_KEY.test(l)) break;
    json += l.trim();
  }
  return json.startsWith('{') ? { json, line: i } : undefined;
}

function portOf(v: unknown): { port?: number; portText?: string } {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535) return { port: v };
  if (v === undefined || v === null) return {};
  return { portText: typeof v === 'string' ? v : JSON.stringify(v) };
}

function configFact(item: unknown): WacServiceConfigurationFact {
  const p = isObject(prop(item, 'properties')) ? prop(item, 'properties') : item;
  const fact: WacServiceConfigurationFact = { present: true, ...portOf(prop(p, 'port')) };
  const serviceName = str(prop(p, 'serviceName'));
  const state = str(prop(p, 'provisioningState'));
  if (serviceName) fact.serviceName = serviceName;
  if (state) fact.provisioningState = state;
  return fact;
}

const isWac = (item: unknown): boolean => {
  const p = isObject(prop(item, 'properties')) ? prop(item, 'properties') : item;
  return (str(prop(p, 'serviceName')) ?? str(prop(item, 'name')))?.toUpperCase() === 'WAC';
};

function parseHybridConnectivity(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const warnings: string[] = [];
  const observations: Observation[] = [];
  const invoke = invokeContent(lines);
  const statusLine = lines.findIndex((l) => /^\s*StatusCode\s*:\s*\d{3}\s*$/.test(l));
  const status = statusLine >= 0 ? Number(/(\d{3})/.exec(lines[statusLine]!)![1]) : undefined;
  const ev = (line: number): Evidence => lineEvidence(input, line, lines[line]!);

  // A 404, from az rest or Invoke-AzRestMethod.
  if ((status === 404 || (status === undefined && NOT_FOUND.test(text))) && !SERVICE_CONFIG_TYPE.test(text) && !ENDPOINT_TYPE.test(text)) {
    const at = statusLine >= 0 ? statusLine : Math.max(0, lines.findIndex((l) => NOT_FOUND.test(l)));
    // The error message names the missing resource; an echoed command or the -Path says what was asked for.
    const message = /"message"\s*:\s*"([^"]{0,400})"/.exec(text)?.[1] ?? '';
    const endpointMissing = MENTIONS_ENDPOINT.test(message) && !MENTIONS_WAC_CONFIG.test(message);
    const askedConfig = MENTIONS_WAC_CONFIG.test(text);
    if (!askedConfig && !MENTIONS_ENDPOINT.test(text)) {
      throw new ParseError('a 404 answer without the HybridConnectivity endpoint or service configuration it was for; paste the command with its output');
    }
    if (endpointMissing || !askedConfig) {
      observations.push(observe('azure.hybridEndpoint', { present: false } satisfies HybridEndpointFact, ev(at)));
      observations.push(observe('azure.wacServiceConfiguration', { present: false, endpointMissing: true }, ev(at)));
    } else {
      observations.push(observe('azure.wacServiceConfiguration', { present: false }, ev(at)));
    }
    return { observations, warnings };
  }

  let value: unknown;
  let lineOf: (path: string) => number | undefined;
  let firstLine: number;
  if (invoke) {
    try {
      value = JSON.parse(invoke.json);
    } catch (err) {
      throw new ParseError(`the Content of Invoke-AzRestMethod is not JSON: ${(err as Error).message}`);
    }
    lineOf = () => invoke.line;
    firstLine = invoke.line;
    if (status !== undefined && status !== 200) warnings.push(`StatusCode ${status}`);
  } else {
    const json = parseJsonInput(text);
    value = json.value;
    lineOf = (path) => json.lineOf(path);
    firstLine = json.firstLine;
  }
  const type = str(prop(value, 'type'))?.toLowerCase();
  const list = prop(value, 'value');
  if (Array.isArray(list)) {
    const i = list.findIndex(isWac);
    if (i < 0) {
      observations.push(observe('azure.wacServiceConfiguration', { present: false }, inputEvidence(input, `no WAC among ${list.length} service configuration(s)`)));
      observations.push(observe('azure.hybridEndpoint', { present: true }, ev(firstLine)));
    } else {
      observations.push(observe('azure.wacServiceConfiguration', configFact(list[i]), ev(lineOf(`value[${i}].properties.port`) ?? lineOf(`value[${i}]`) ?? firstLine)));
      observations.push(observe('azure.hybridEndpoint', { present: true }, ev(firstLine)));
    }
  } else if (type === 'microsoft.hybridconnectivity/endpoints/serviceconfigurations') {
    if (!isWac(value)) throw new ParseError(`a service configuration for ${str(prop(prop(value, 'properties'), 'serviceName')) ?? 'another service'}, not WAC`);
    const fact = configFact(value);
    if (fact.portText !== undefined) warnings.push(`port "${fact.portText}" is not an integer 1-65535`);
    observations.push(observe('azure.wacServiceConfiguration', fact, ev(lineOf('properties.port') ?? firstLine)));
    observations.push(observe('azure.hybridEndpoint', { present: true }, ev(firstLine)));
  } else if (type === 'microsoft.hybridconnectivity/endpoints') {
    const t = str(prop(prop(value, 'properties'), 'type'));
    observations.push(observe('azure.hybridEndpoint', { present: true, ...(t ? { type: t } : {}) }, ev(lineOf('properties.type') ?? firstLine)));
  } else {
    throw new ParseError('expected a Microsoft.HybridConnectivity endpoint or service configuration (az rest --method get --uri <machine id>/providers/Microsoft.HybridConnectivity/endpoints/default/serviceconfigurations/WAC?api-version=2023-03-15)');
  }
  return { observations, warnings };
}

export const azRestHybridConnectivityParser: TextParser = {
  id: 'az-rest-hybrid-connectivity',
  label: 'az rest HybridConnectivity endpoint / serviceconfigurations/WAC',
  detect(text) {
    if (SERVICE_CONFIG_TYPE.test(text)) return 95;
    if (ENDPOINT_TYPE.test(text)) return 90;
    if (NOT_FOUND.test(text) && (MENTIONS_WAC_CONFIG.test(text) || MENTIONS_ENDPOINT.test(text))) return 85;
    // Invoke-AzRestMethod wraps a long Content, so the type may be split: go by the -Path.
    if (/^[ \t]*Content[ \t]*:[ \t]*\{/m.test(text) && (MENTIONS_WAC_CONFIG.test(text) || MENTIONS_ENDPOINT.test(text))) return 80;
    return 0;
  },
  parse: parseHybridConnectivity,
};
