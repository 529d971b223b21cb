/**
 * `azcmagent show` as text (padded `Label : value` lines) and as `-j` JSON: the agent's own view of
 * its resource, version, status, heartbeat, cloud, region, proxy and dependent services.
 * Both forms are read into one `ShowData` record, then turned into observations the same way.
 */
import { observe, serviceKey, type Observation, type ServiceState } from '../model/facts';
import {
  asObject, evidenceAt, isSpace, jsonProblem, scalarText, type JsonObject as Json,
  lineEvidence, ParseError, parseJsonLoose,
  type InputRef, type ParseResult, type TextParser,
} from './parser';
import type { Evidence } from '../model/types';
import { jsonLineIndex } from './az-extension';
import { listValueColumn, wrappedValue } from './list-wrap';

type Field =
  | 'name' | 'resourceGroup' | 'subscriptionId' | 'resourceId' | 'location' | 'cloud' | 'version' | 'status'
  | 'heartbeat' | 'errorCode' | 'errorDetails' | 'httpsProxy' | 'privateLinkScope' | 'gatewayUrl' | 'connectionType';

interface Located { value: string; evidence: Evidence }

interface ShowService { name: string; displayName?: string; state: string; evidence: Evidence }

interface ShowData {
  fields: Partial<Record<Field, Located>>;
  services: ShowService[];
}

/** Text labels (lowercase) -> field. `Private Link Scope` and `Connection Type` are tolerated guesses [inferred]. */
const TEXT_LABELS: Record<string, Field> = {
  'resource name': 'name',
  'resource group name': 'resourceGroup',
  'subscription id': 'subscriptionId',
  'resource id': 'resourceId',
  'location': 'location',
  'cloud': 'cloud',
  'agent version': 'version',
  'agent status': 'status',
  'agent last heartbeat': 'heartbeat',
  'agent error code': 'errorCode',
  'agent error details': 'errorDetails',
  'using https proxy': 'httpsProxy',
  'gateway url': 'gatewayUrl',
  'private link scope': 'privateLinkScope',
  'connection type': 'connectionType',
};

/** JSON keys (matched case-insensitively) -> field. */
const JSON_KEYS: Record<Field, string[]> = {
  name: ['resourceName'],
  resourceGroup: ['resourceGroup', 'resourceGroupName'],
  subscriptionId: ['subscriptionId'],
  resourceId: ['resourceId'],
  location: ['location'],
  cloud: ['cloud'],
  version: ['agentVersion'],
  status: ['status', 'agentStatus'],
  heartbeat: ['lastHeartbeat', 'agentLastHeartbeat'],
  errorCode: ['agentErrorCode'],
  errorDetails: ['agentErrorDetails'],
  httpsProxy: ['httpsProxy'],
  privateLinkScope: ['privateLinkScope'],
  gatewayUrl: ['gatewayUrl'],
  connectionType: ['connectionType'],
};

const SERVICE_STATES: readonly ServiceState[] = [
  'running', 'stopped', 'start_pending', 'stop_pending', 'continue_pending', 'pause_pending', 'paused', 'unknown', 'not_found',
];

const ARM_ID = /^\/subscriptions\/[^/\s]+\/resourceGroups\/[^/\s]+\/providers\/Microsoft\.HybridCompute\/machines\/[^/\s]+$/i;

/** ISO 8601 as-is; Go's `2006-01-02 15:04:05 +0000 UTC` converted; anything else Date.parse-able normalized. */
export function toIsoTime(raw: string): string | undefined {
  const t = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i.test(t)) return t;
  // The zone's `\s*` sits inside its group: beside the `\s+` before the zone name it would backtrack quadratically.
  const go = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:\s*(Z|[+-]\d{2}:?\d{2}))?(?:\s+[A-Z]{2,5})?$/i.exec(t);
  if (go) {
    // The agent writes UTC; a missing offset is read as UTC.
    const tz = !go[3] || /^z$/i.test(go[3]) ? 'Z' : go[3].length === 5 ? `${go[3].slice(0, 3)}:${go[3].slice(3)}` : go[3];
    const iso = `${go[1]}T${go[2]}${tz === '+00:00' ? 'Z' : tz}`;
    return Number.isNaN(Date.parse(iso)) ? undefined : iso;
  }
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function serviceState(raw: string): ServiceState | undefined {
  const s = raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if ((SERVICE_STATES as readonly string[]).includes(s)) return s as ServiceState;
  if (s === 'notfound' || s === 'not_installed') return 'not_found';
  return undefined;
}

function canonicalStatus(raw: string): string {
  return ['Connected', 'Disconnected', 'Expired'].find((s) => s.toLowerCase() === raw.toLowerCase()) ?? raw;
}

/** Builds observations from the parsed record; the heartbeat dates every observation of the snapshot. */
function toObservations(data: ShowData): ParseResult {
  const { fields: f } = data;
  const out: Observation[] = [];
  const warnings: string[] = [];
  const val = (k: Field): string | undefined => (f[k]?.value ? f[k].value : undefined);
  const ev = (...ks: Field[]): Evidence[] => ks.flatMap((k) => (f[k] ? [f[k].evidence] : []));

  let time: string | undefined;
  const hb = val('heartbeat');
  if (hb) {
    time = toIsoTime(hb);
    if (time) out.push(observe('agent.lastHeartbeat', time, ev('heartbeat'), time));
    else warnings.push(`Agent Last Heartbeat "${hb}" is not a date; ignored`);
  }
  const push = (o: Observation): void => { out.push(time ? { ...o, time } : o); };

  const name = val('name');
  if (name) push(observe('machine.name', name, ev('name')));
  const rid = val('resourceId');
  const sub = val('subscriptionId');
  const rg = val('resourceGroup');
  if (rid && ARM_ID.test(rid)) push(observe('machine.resourceId', rid, ev('resourceId')));
  else if (name && sub && rg) {
    push(observe('machine.resourceId', `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.HybridCompute/machines/${name}`, ev('subscriptionId', 'resourceGroup', 'name')));
  }
  const version = val('version');
  if (version) push(observe('agent.version', version, ev('version')));
  const status = val('status');
  if (status) push(observe('agent.status', canonicalStatus(status), ev('status')));
  const cloud = val('cloud');
  if (cloud) push(observe('agent.cloud', cloud, ev('cloud')));
  const location = val('location');
  if (location) push(observe('agent.location', location.toLowerCase().replace(/\s+/g, ''), ev('location')));
  const code = val('errorCode');
  if (code) {
    const details = val('errorDetails');
    const error = details ? { code, details } : { code };
    push(observe('agent.error', error, ev('errorCode', 'errorDetails')));
    push(observe('agent.errorCodes', [error], ev('errorCode', 'errorDetails')));
  } else if (f.errorCode) {
    // An empty "Agent Error Code" is a statement: the agent reports no error (agent-error-code can pass).
    push(observe('agent.errorCodes', [], ev('errorCode')));
  }
  // Present-but-empty is meaningful for these two: "no proxy", "no private link".
  if (f.httpsProxy) push(observe('agent.httpsProxy', f.httpsProxy.value, ev('httpsProxy')));
  if (f.privateLinkScope) push(observe('agent.privateLinkScope', f.privateLinkScope.value, ev('privateLinkScope')));
  const gateway = val('gatewayUrl');
  if (gateway) push(observe('agent.gatewayUrl', gateway, ev('gatewayUrl')));
  const connectionType = val('connectionType');
  if (connectionType) push(observe('config.connectionType', connectionType.toLowerCase(), ev('connectionType')));

  for (const s of data.services) {
    const state = serviceState(s.state);
    if (!state) warnings.push(`service ${s.name}: unknown state "${s.state}", recorded as unknown`);
    const fact = { name: s.name, ...(s.displayName ? { displayName: s.displayName } : {}), state: state ?? 'unknown' };
    push(observe(serviceKey(s.name), fact, s.evidence));
  }
  return warnings.length ? { observations: out, warnings } : { observations: out };
}

// ---- text ----

// Lines are read by hand, not with `^\s*([^:]+?)\s*:(.*)$` and `^\s*(.*?)\s*\(([\w.-]+)\)\s*:\s*(.*?)\s*$`: their lazy
// groups next to `\s*` take quadratic time on a long run of spaces.

/** `Label : value`: the label before the first colon (trimmed), the value after it. */
export function labelLine(line: string): { label: string; value: string } | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  const value = line.slice(colon + 1);
  if (/[\r\u2028\u2029]/.test(value)) return undefined; // `.` stopped there
  return { label: line.slice(0, colon).trim(), value };
}

const NAME_CHAR = /[\w.-]/;

/** `<Display> (<name>) : <state>`: the first `(name)` followed by a colon; each character is looked at a bounded number of times. */
export function serviceRow(line: string): { displayName: string; name: string; state: string } | undefined {
  for (let open = line.indexOf('('); open >= 0; open = line.indexOf('(', open + 1)) {
    let close = open + 1;
    while (close < line.length && NAME_CHAR.test(line[close]!)) close++;
    if (close === open + 1 || line[close] !== ')') continue;
    let colon = close + 1;
    while (isSpace(line[colon])) colon++;
    if (line[colon] !== ':') continue;
    return { displayName: line.slice(0, open).trim(), name: line.slice(open + 1, close), state: line.slice(colon + 1).trim() };
  }
  return undefined;
}

const SECTION_SERVICES = /^\s*Dependent Service Status\s*$/i;

function parseShowText(text: string, input: InputRef): ShowData {
  const lines = text.split('\n');
  const data: ShowData = { fields: {}, services: [] };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (SECTION_SERVICES.test(line)) {
      // Service rows follow until a line that is not `<Display> (<name>) : <state>`.
      while (i + 1 < lines.length) {
        const row = serviceRow(lines[i + 1]!);
        if (!row) break;
        i++;
        const { displayName, name, state } = row;
        data.services.push({ name, ...(displayName ? { displayName } : {}), state, evidence: lineEvidence(input, i, lines[i]!) });
      }
      continue;
    }
    const m = labelLine(line);
    if (!m) continue;
    const field = TEXT_LABELS[m.label.toLowerCase().replace(/\s+/g, ' ')];
    // A long value (`Agent Error Details`) goes on in lines indented to where it started: joined.
    const column = listValueColumn(line, 0, line.length);
    const wrapped = column > 0 ? wrappedValue(lines, i, column) : undefined;
    // First occurrence wins: later sections never repeat these labels at a different meaning.
    if (field && !data.fields[field]) data.fields[field] = { value: wrapped?.value ?? m.value.trim(), evidence: lineEvidence(input, i, line) };
    if (wrapped) i = wrapped.next - 1;
  }
  return data;
}

// Indentation is `[ \t]*`, not `\s*`: under /m, `^\s*` at each of a run of blank lines (or `\r`s) rescans the rest of the run.
const TEXT_MARKERS = [/^[ \t]*Agent Status\s*:/im, /^[ \t]*Resource Name\s*:/im, /^[ \t]*Agent Last Heartbeat\s*:/im, /^[ \t]*Dependent Service Status\s*$/im];

export const showTextParser: TextParser = {
  id: 'azcmagent-show-text',
  label: 'azcmagent show',
  detect(text) {
    const head = text.slice(0, 65536);
    const version = /^[ \t]*Agent Version\s*:/im.test(head);
    const others = TEXT_MARKERS.filter((re) => re.test(head)).length;
    if (version && others > 0) return 80;
    if (others >= 2) return 60; // a filtered `azcmagent show "Agent Status" "Agent Last Heartbeat"`
    if (version) return 40;
    return 0;
  },
  parse(text, input) {
    const data = parseShowText(text, input);
    const hasValue = Object.values(data.fields).some((f) => f.value !== '') || data.services.length > 0;
    if (!hasValue) {
      throw new ParseError('has no values; expected `Label : value` lines such as `Agent Version : 1.45.02669.1635` and `Agent Status : Connected`');
    }
    return toObservations(data);
  },
};

// ---- JSON ----

function entry(obj: Json, keys: readonly string[]): [string, unknown] | undefined {
  const wanted = keys.map((k) => k.toLowerCase());
  return Object.entries(obj).find(([k]) => wanted.includes(k.toLowerCase()));
}

function parseShowJson(obj: Json, text: string, input: InputRef): ShowData {
  const lines = text.split('\n');
  // Lines by JSON path (top-level keys, services[i].name), from one pass: no search or RegExp per value.
  const lineOf = jsonLineIndex(text);
  const data: ShowData = { fields: {}, services: [] };
  for (const [field, keys] of Object.entries(JSON_KEYS) as [Field, string[]][]) {
    const hit = entry(obj, keys);
    if (!hit) continue;
    const value = scalarText(hit[1]);
    if (value === undefined) continue;
    data.fields[field] = { value, evidence: evidenceAt(input, lines, lineOf(hit[0]) ?? -1, `${hit[0]}: ${value}`) };
  }
  const services = entry(obj, ['services']);
  if (services && Array.isArray(services[1])) {
    services[1].forEach((item: unknown, i) => {
      const s = asObject(item);
      if (!s) return;
      const nameEntry = entry(s, ['serviceName', 'name']);
      const name = scalarText(nameEntry?.[1]);
      const state = scalarText(entry(s, ['status', 'state'])?.[1]);
      if (!nameEntry || !name || state === undefined) return;
      const displayName = scalarText(entry(s, ['displayName'])?.[1]);
      const line = lineOf(`${services[0]}[${i}].${nameEntry[0]}`) ?? lineOf(services[0]) ?? -1;
      data.services.push({ name, ...(displayName ? { displayName } : {}), state, evidence: evidenceAt(input, lines, line, `${name}: ${state}`) });
    });
  }
  return data;
}

/** ARM shapes (`az connectedmachine show`, or its `--query properties`) are another parser's. */
const ARM_KEYS = ['properties', 'provisioningState', 'agentConfiguration', 'lastStatusChange', 'osName'];

function looksLikeJsonObject(text: string): boolean {
  return /^\s*\{/.test(text);
}

export const showJsonParser: TextParser = {
  id: 'azcmagent-show-json',
  label: 'azcmagent show -j',
  detect(text) {
    if (!/"agentVersion"\s*:/i.test(text)) return 0;
    let obj: Json | undefined;
    try {
      obj = asObject(parseJsonLoose(text));
    } catch {
      // Broken JSON: claim it weakly only when it starts like an object and has no ARM wrapper.
      return looksLikeJsonObject(text) && !/"properties"\s*:/i.test(text) ? 30 : 0;
    }
    if (!obj || !entry(obj, ['agentVersion']) || entry(obj, ARM_KEYS)) return 0;
    if (entry(obj, ['resourceName', 'services', 'cloud'])) return 90;
    return entry(obj, ['status', 'lastHeartbeat']) ? 70 : 40;
  },
  parse(text, input) {
    let parsed: unknown;
    try {
      parsed = parseJsonLoose(text);
    } catch (err) {
      throw new ParseError(`is not valid JSON (${jsonProblem(err)}); expected the object printed by \`azcmagent show -j\``);
    }
    const obj = asObject(parsed);
    if (!obj) throw new ParseError('is not a JSON object; expected the object printed by `azcmagent show -j`');
    const data = parseShowJson(obj, text, input);
    if (!Object.values(data.fields).some((f) => f.value !== '') && data.services.length === 0) {
      throw new ParseError('has no values; expected keys such as `agentVersion`, `status`, `resourceName`');
    }
    return toObservations(data);
  },
};
