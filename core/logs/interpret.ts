/**
 * Turns parsed log records into LogFacts events. What counts, per record:
 * - the agent version, from agent logs (himds/azcmagent/arcproxy) or an explicit "Agent Version" text;
 * - AZCM codes per operation (the azcmagent command being run), AZCM0000 / exit code 0 as its success;
 * - failure signatures and endpoint failures only at warning level and above, or in text without levels:
 *   debug/trace lines are what the agent tolerated, and the IMDS probe (169.254.169.254) failing is normal;
 * - endpoint successes ("succeeded", "passed", "is reachable"; with a 2xx status when stated) that resolve earlier
 *   failures of the same host. A line that only carries `Status Code=200` is not read (the grammars' candidate
 *   filter skips it), which keeps routine heartbeat lines cheap.
 */
import { excerpt, isSpace } from '../parser';
import { matchSignatures, AGENT_VERSION_TEXT, type SignatureKind, type SignatureMatch } from '../signatures';
import type { OsFact, ServiceState, SignatureHit } from '../facts';
import type { SourceKind } from '../types';
import type { LogFacts, Stamp } from './collector';
import { endpointOf, errorText, failureLayers, mentionsImds } from './endpoints';
import { field, isProblemLevel, recordText, type LogRecord } from './record';
import type { RecordSink } from './scanner';

/** What a file is, as far as the interpreter cares. */
export type FileRole = 'agent-log' | 'gc-log' | 'extension-log' | 'text';

const OP = /\b(?:azcmagent(?:\.exe)?\s+|Command(?: Line)?\s*[:=]\s*"?(?:azcmagent(?:\.exe)?\s+)?)(connect|disconnect|check|config|extension|logs|show|upgrade|license|genkey|version)\b/i;
const AZCM_ALL = /\bAZCM(\d{4})\b(?::?\s*([^\n"]{0,160}))?/g;
const EXIT_ZERO = /\bExit Code\s*[:=]\s*"?0\b/i;
const SUCCESS = /\b(?:succeeded|successful(?:ly)?|passed|is reachable)\b/i;
const NEGATED = /\b(?:not|failed|failure|unable|could not|cannot|error)\b/i;
const VERSION_FIELD = new RegExp(`^v?(${AGENT_VERSION_TEXT})$`);
const VERSION_IN_MSG = new RegExp(`\\bversion\\b[^0-9\\n]{0,24}v?(${AGENT_VERSION_TEXT})\\b`, 'i');
const FAILURE_KINDS = new Set(['hcrp', 'network', 'tls', 'proxy', 'http', 'registration', 'authorization']);
const ENDPOINT_KINDS = new Set(['network', 'tls', 'proxy']);
const INFO_KINDS: ReadonlySet<SignatureKind> = new Set<SignatureKind>(['status', 'service', 'version']);
const STATUS_CODE_FIELDS = ['Status Code', 'StatusCode', 'status', 'Status'];

export interface InterpretContext {
  path: string;
  source: SourceKind;
  role: FileRole;
}

/**
 * Each whitespace run holding a line break becomes one space (as a global replace of `\s*\n\s*` did, but without
 * retrying `\s*` from every character of a long run of spaces).
 */
export function oneLine(s: string): string {
  if (!s.includes('\n')) return s;
  let out = '';
  let kept = 0;
  for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', kept)) {
    let from = nl;
    while (from > kept && isSpace(s[from - 1])) from--;
    let to = nl + 1;
    while (to < s.length && isSpace(s[to])) to++;
    out += `${s.slice(kept, from)} `;
    kept = to;
  }
  return out + s.slice(kept);
}

function serviceState(word: string): ServiceState {
  const w = word.toLowerCase();
  return w === 'running' ? 'running' : w === 'stopped' ? 'stopped' : 'unknown';
}

export class RecordInterpreter implements RecordSink {
  private op?: string;
  private lastTime?: string;
  records = 0;

  constructor(private readonly ctx: InterpretContext, private readonly facts: LogFacts) {}

  record(rec: LogRecord, raw: string, line: number): void {
    this.records++;
    const carried = this.lastTime;
    if (rec.time) this.lastTime = rec.time;
    const text = oneLine(recordText(rec));
    // Most records yield nothing: build the evidence and stamp only when an event is recorded.
    let stamp: Stamp | undefined;
    const at = (): Stamp => (stamp ??= this.facts.stamp(
      { source: this.ctx.source, path: this.ctx.path, line, excerpt: excerpt(oneLine(raw)) },
      rec.time, carried,
    ));
    const op = OP.exec(text)?.[1]?.toLowerCase();
    if (op) this.op = op;
    const tolerated = rec.level === 'debug' || rec.level === 'trace';
    // Below warning level only the informational signatures matter (failures there are ignored anyway).
    const quiet = tolerated || rec.level === 'info';
    const matches = matchSignatures(text, quiet ? INFO_KINDS : undefined);

    this.version(rec, matches, at);
    if (this.ctx.role === 'agent-log') this.os(rec, at);
    if (!tolerated) this.azcm(rec, text, at);
    for (const m of matches) {
      if (m.signature.id === 'agent-status' && m.subject && !tolerated) this.facts.agentStatus(m.subject, at());
      if (m.signature.id === 'service-state' && m.subject && !tolerated) {
        const [name, state] = m.subject.split('=');
        this.facts.service(name!, serviceState(state!), at());
      }
    }
    if (tolerated || mentionsImds(text)) return;
    const problem = rec.level === undefined || isProblemLevel(rec.level);
    const failures = matches.filter((m) => FAILURE_KINDS.has(m.signature.kind));
    if (problem && failures.length > 0) {
      this.failures(rec, text, failures, at());
      return;
    }
    if (failures.length === 0) this.success(rec, text, at);
  }

  private version(rec: LogRecord, matches: SignatureMatch[], at: () => Stamp): void {
    const explicit = matches.find((m) => m.signature.id === 'agent-version')?.subject;
    if (explicit) return this.facts.version(explicit, at());
    if (this.ctx.role !== 'agent-log') return;
    const f = field(rec, 'Version', 'AgentVersion', 'Agent Version', 'version');
    const v = (f && VERSION_FIELD.exec(f.trim())?.[1]) ?? VERSION_IN_MSG.exec(rec.msg)?.[1];
    if (v) this.facts.version(v, at());
  }

  /** `OS="Windows Server 2022 Datacenter" OS Version=10.0.20348` as agent logs state them at start. */
  private os(rec: LogRecord, at: () => Stamp): void {
    const name = field(rec, 'OS', 'OSName', 'OS Name', 'Operating System')?.trim();
    if (!name || name.length > 120) return;
    const platform = /windows/i.test(name) ? 'windows' : /linux|ubuntu|debian|red hat|rhel|centos|suse|sles|oracle|rocky|alma|mariner|amazon/i.test(name) ? 'linux' : 'other';
    const version = field(rec, 'OSVersion', 'OS Version')?.trim();
    const os: OsFact = { platform, name };
    if (version && /^\d+(\.\d+){1,3}$/.test(version)) os.version = version;
    this.facts.osInfo(os, at());
  }

  private azcm(rec: LogRecord, text: string, at: () => Stamp): void {
    const op = this.op ?? `${this.ctx.role === 'agent-log' ? 'agent' : 'log'} (${this.ctx.path})`;
    // Codes in the message get their details from the message, not from the fields after it.
    const source = /\bAZCM\d{4}\b/.test(rec.msg) ? rec.msg : text;
    AZCM_ALL.lastIndex = 0;
    let sawCode = false;
    for (let m = AZCM_ALL.exec(source); m; m = AZCM_ALL.exec(source)) {
      sawCode = true;
      const code = `AZCM${m[1]}`;
      if (code === 'AZCM0000') this.facts.opSuccess(op, at());
      else this.facts.opFailure(op, code, m[2]?.trim() || undefined, at());
    }
    if (!sawCode && EXIT_ZERO.test(text)) this.facts.opSuccess(op, at());
  }

  private failures(rec: LogRecord, text: string, failures: SignatureMatch[], stamp: Stamp): void {
    for (const m of failures) {
      const hit: SignatureHit = { id: m.signature.id, text: stamp.evidence.excerpt ?? text };
      if (stamp.time) hit.time = stamp.time;
      if (m.subject) hit.subject = m.subject;
      this.facts.signature(hit, stamp.evidence);
    }
    if (!failures.some((m) => ENDPOINT_KINDS.has(m.signature.kind))) return;
    const endpoint = endpointOf(rec, text);
    if (!endpoint) return;
    const ids = new Set(failures.map((m) => m.signature.id));
    const issuer = failures.find((m) => m.signature.id === 'x509-unknown-authority')?.subject;
    this.facts.endpointFailure(endpoint.host, failureLayers(ids, errorText(rec, text), issuer), stamp, endpoint.url);
  }

  private success(rec: LogRecord, text: string, at: () => Stamp): void {
    const status = Number(field(rec, ...STATUS_CODE_FIELDS) ?? NaN);
    const http2xx = Number.isInteger(status) && status >= 200 && status < 300;
    if (!http2xx && !(SUCCESS.test(rec.msg) && !NEGATED.test(rec.msg))) return;
    const endpoint = endpointOf(rec, text);
    if (!endpoint) return;
    const tls = /^TLS ?v?1\.[0-3]$/i.exec(field(rec, 'TLS Version', 'TLSVersion', 'tls') ?? '')?.[0];
    this.facts.endpointSuccess(endpoint.host, at(), endpoint.url, tls?.replace(/^TLS ?v?/i, 'TLS '), http2xx ? status : undefined);
  }
}
