/**
 * Turns parsed log records into LogFacts events. What counts, per record:
 * - the agent version, from agent logs (himds/azcmagent/arcproxy) or an explicit "Agent Version" text;
 * - AZCM codes per operation (the azcmagent command being run), AZCM0000 / exit code 0 as its success;
 * - failure signatures and endpoint failures only at warning level and above, or in text without levels:
 *   debug/trace lines are what the agent tolerated, and the IMDS probe (169.254.169.254) failing is normal;
 * - endpoint successes ("succeeded", "passed", "is reachable"; a 2xx status with a named endpoint, at any level but
 *   debug/trace) that resolve earlier failures of the same host.
 */
import { clipWords } from '../../text/clip';
import { excerpt } from '../parser';
import { matchSignatures, AGENT_VERSION_TEXT, SIGNATURE_HINT, type SignatureKind, type SignatureMatch } from '../../catalog/signatures';
import type { EndpointProbe, OsFact, ServiceState, SignatureHit } from '../../model/facts';
import type { SourceKind } from '../../model/types';
import type { LogFacts, SuccessDetails } from './collector';
import { endpointOf, errorText, failureLayers, mentionsImds } from './endpoints';
import { endpointSegments, proxyAddressIn } from './mentions';
import { adminCenterStatement, agentStateStatement, agentVersionStatement, cloudStatement, configStatement, memoryProseStatement, memoryStatement, osStatement, privateEndpointStatements, registrationStatements, serviceStartStatement, STATEMENT_HINT } from './statements';
import { classifyErrors } from '../../catalog/error-taxonomy';
import { IDENTITY, socketAddresses, substitution } from './addresses';
import { NOTHING, PlanMemo, rememberNothing, rememberPlan, SAYS_NOTHING, type Plan, type PlanTables, type Step } from './plan-memo';
import { detach, detachedRecord, field, isProblemLevel, oneLine, readingOf, recordText, type LogRecord } from './record';
import { ByteKeys, type QuietKind } from './byte-keys';
import type { RecordSink } from './scanner';
import type { RecordReading } from './grammar';

/** What a file is, as far as the interpreter cares. */
/** `command-output`: text a pasted-output parser already read (its prose is the output's, not a ticket's). */
export type FileRole = 'agent-log' | 'gc-log' | 'extension-log' | 'text' | 'command-output';

const OP = /\b(?:azcmagent(?:\.exe)?\s+|Command(?: Line)?\s*[:=]\s*"?(?:azcmagent(?:\.exe)?\s+)?)(connect|disconnect|check|config|extension|logs|show|upgrade|license|genkey|version)\b/i;
const AZCM_ALL = /\bAZCM(\d{4})\b(?::?\s*([^\n"]{0,160}))?/g;
const EXIT_ZERO = /\bExit Code\s*[:=]\s*"?0\b/i;
const SUCCESS = /\b(?:succeeded|successful(?:ly)?|passed|is reachable|is available)\b/i;
/** The agent's summary that every endpoint it tested answered (`azcmagent check`, connect's pre-check). */
const ALL_PASSED = /\bConnectivity test passed\b|\bAll (?:required )?endpoints (?:are )?reachable\b/i;
/** `https://host is available, using cryptographic protocol: TLS 1.3` (azcmagent check / connect). */
const TLS_USED = /cryptographic protocol:?\s{0,3}(TLS ?v?1\.[0-3])/i;
/** Bootstrap and script wrappers report azcmagent's exit code, which is the AZCM number. */
const AZCM_EXIT = /\bazcmagent\b[^\n]{0,160}?\bexit ?code\b[\s:=>]{0,6}(\d{1,3})\b|\bazcmagent\b[^\n]{0,120}?\b(?:exited with (?:exit )?code|returned(?: exit code)?|exit status|LASTEXITCODE)[\s:=]{0,4}(\d{1,3})\b/i;
/** An HTTP answer in a connectivity test: a 4xx proves the endpoint was reached; a 5xx is a failure. */
const HTTP_ANSWER = /\((\d{3})\) [A-Z][a-z]|\b(?:StatusCode|Status Code|status|Layer7Response)[ =:"]{1,4}(\d{3})\b|\b(\d{3}) (?:Bad Request|Unauthorized|Forbidden|Not Found|Method Not Allowed|OK)\b/i;
const NEGATED = /\b(?:not|failed|failure|unable|could not|cannot|error)\b/i;
const VERSION_FIELD = new RegExp(`^v?(${AGENT_VERSION_TEXT})$`);
const VERSION_IN_MSG = new RegExp(`\\bversion\\b[^0-9\\n]{0,24}v?(${AGENT_VERSION_TEXT})\\b`, 'i');
const FAILURE_KINDS = new Set(['hcrp', 'network', 'tls', 'proxy', 'http', 'registration', 'authorization', 'gateway', 'environment']);
const ENDPOINT_KINDS = new Set(['network', 'tls', 'proxy']);
const INFO_KINDS: ReadonlySet<SignatureKind> = new Set<SignatureKind>(['status', 'service', 'version']);
const STATUS_CODE_FIELDS = ['Status Code', 'StatusCode', 'status', 'Status'];

/**
 * With SIGNATURE_HINT, every literal that the steps of `record()` read in a warning or error record: signatures
 * (that hint), statements, the operation, AZCM and exit codes, versions, the OS fields, HTTP statuses and success
 * words. A problem record matching neither yields nothing, and most lines of an agent retrying all night are such
 * records, so they end at these tests. Keep it a superset when a step is added (tested: reports are the same
 * without it).
 */
export const PROBLEM_HINT = new RegExp([
  STATEMENT_HINT.source,
  String.raw`azcmagent|command|exit ?code|ersion|\bos\b|osname|operating system`,
  String.raw`status(?: ?code)?=|status(?: ?code)?[ =:"]{1,4}\d|layer7response|\(\d{3}\) |\d{3} (?:bad request|unauthorized|forbidden|not found|method not allowed|ok)`,
  'succe|passed|reachable|available',
].join('|'), 'i');
/** Part of PROBLEM_HINT that one literal scan finds fast: the status field on most lines of a retrying agent. */
const STATUS_FIELD = /[Ss]tatus(?: ?[Cc]ode)?=/;

/**
 * A warning or error record whose text (as interpret() reads it) matches none of the hints says nothing known:
 * its plan is NOTHING. Shared by interpret() and keyed(), which skips the parse when a grammar gives the text.
 */
function saysNothingKnown(text: string): boolean {
  return !SIGNATURE_HINT.test(text) && !STATUS_FIELD.test(text) && !PROBLEM_HINT.test(text);
}

/**
 * The WAC service endpoint named without a host: `*.waconazure.com` (a wildcard is no host to probe), or "the WAC relay
 * endpoint" / "Windows Admin Center service endpoint" in a ticket. A failure on such a line is the `*.waconazure.com`
 * family's (endpoint-wac), which is what the portal's connection goes through.
 */
const WAC_SERVICE_NAMED = /\*\.waconazure\.com\b|\b(?:WAC|Windows Admin Center)\s{1,3}(?:in\s{1,3}(?:the\s{1,3})?(?:Azure\s{1,3})?portal\s{1,3})?(?:relay|service|gateway\s{1,3}service)?\s{0,3}endpoint\b/i;

function wacServiceNamed(text: string): { host: string; url?: string } | undefined {
  return WAC_SERVICE_NAMED.test(text) ? { host: '*.waconazure.com' } : undefined;
}

export interface InterpretContext {
  path: string;
  source: SourceKind;
  role: FileRole;
  /** false: decide every record afresh, without the memo (tests compare both; the results are the same). */
  memo?: boolean;
  /** The memo shared with the other files of a bundle (one of its own otherwise). */
  plans?: PlanMemo;
  /** false: no byte keys in front of the memo (tests compare both; the results are the same). */
  byteKeys?: boolean;
  /** Keys the byte keys keep before they are emptied (tests fill them with fewer; ByteKeys.create). */
  byteKeyCapacity?: number;
  /**
   * false: with byte keys, the scanner still finds each candidate with its regex and looks it up alone, instead of
   * having the module read runs of records (scanner.ts scanInModule; tests compare both; the results are the same).
   */
  scanInModule?: boolean;
}

/** What the byte keys' module may count instead of handing over (byte-keys.ts QuietKind): plans without steps. */
function quietOf(plan: Plan): QuietKind {
  return plan === SAYS_NOTHING ? 1 : plan.steps.length === 0 ? 2 : 0;
}

function serviceState(word: string): ServiceState {
  const w = word.toLowerCase();
  return w === 'running' ? 'running' : w === 'stopped' ? 'stopped' : 'unknown';
}

/**
 * Records read alike are interpreted once (per kind of file, across a bundle's files: plan-memo.ts): an agent
 * retrying all night writes the same few records with new times (and request ids, which readingOf leaves out), and
 * their interpretation is most of the cost of a noisy log. Dropped for a file whose records rarely repeat.
 */
const MEMO_PROBE = 2048;
/** Longest key remembered: records that long rarely repeat, and the memo's memory stays bounded (MEMO_MAX keys). */
const MEMO_KEY_MAX = 2048;
/**
 * Longest key whose plan is replayed for other socket addresses: the strings a plan states are cut at 300 characters
 * (clipWords), and below that no cut can fall inside an address (its text is shorter than its key).
 */
const ADDRESS_KEY_MAX = 300;

/** A plan known for a record, and what puts the record's addresses into it. */
interface Known {
  plan: Plan;
  sub: (s: string) => string;
}

/** A plan decided for a record read alike but for its socket addresses, with those addresses. */
interface ByAddress extends Known {
  ips: readonly string[];
}

export class RecordInterpreter implements RecordSink {
  private op?: string;
  private lastTime?: string;
  records = 0;
  /** Undefined: every record is decided afresh. */
  private memo: PlanTables | undefined;
  private lookups = 0;
  private hits = 0;
  private probed = false;
  /** Set while a record is decided: its steps read or changed the file's state. */
  private stateful = false;
  /** Set while a record is decided: every step it took states its strings through `sub` (Plan.addresses). */
  private addressSafe = true;
  /** What keyed() replayed for the record's own addresses (RecordSink.keyedPlan). */
  keyedPlan: Plan | undefined;
  /** What keyed() replayed for other addresses, with theirs (RecordSink.keyedAddresses). */
  keyedAddresses: ByAddress | undefined;

  constructor(private readonly ctx: InterpretContext, private readonly facts: LogFacts) {
    if (ctx.memo !== false) this.memo = (ctx.plans ?? new PlanMemo()).tablesFor(ctx.source, ctx.role);
  }

  record(rec: LogRecord, raw: string, line: number, key?: string): void {
    this.records++;
    const carried = this.lastTime;
    if (rec.time) this.lastTime = rec.time;
    const known = this.planFor(rec, key);
    this.apply(known.plan, known.sub, raw, line, rec.time, carried);
  }

  get keying(): boolean {
    return this.memo !== undefined;
  }

  /** The byte keys of this kind of file (its memo's), made when first asked for. */
  get byteKeys(): ByteKeys<Plan> | undefined {
    const memo = this.memo;
    if (!memo || this.ctx.byteKeys === false) return undefined;
    if (memo.bytes === undefined) memo.bytes = ByteKeys.create<Plan>(quietOf, this.ctx.byteKeyCapacity) ?? null;
    return memo.bytes ?? undefined;
  }

  /** As keyed() takes a record whose plan (or SAYS_NOTHING) its key found, with the record's time. */
  knownPlan(plan: Plan, raw: string, line: number, time: string, sub: (s: string) => string = IDENTITY): void {
    this.replay(plan, sub, raw, line, time);
  }

  /** Whether the byte keys' module may read runs of records (RecordSink.scansInModule). */
  get scansInModule(): boolean {
    return this.ctx.scanInModule !== false;
  }

  /** As knownPlan takes records whose plans have no steps: `saysNothing` of SAYS_NOTHING, `nothing` of others; the last at `time`. */
  quietRecords(saysNothing: number, nothing: number, time: string): void {
    this.lookups += nothing;
    this.hits += nothing;
    this.records += saysNothing + nothing;
    this.lastTime = time;
  }

  /** Takes a record whose plan is known (SAYS_NOTHING: it says nothing, and counts neither way in the probe). */
  private replay(plan: Plan, sub: (s: string) => string, raw: string, line: number, time: string): void {
    if (plan !== SAYS_NOTHING) {
      this.lookups++;
      this.hits++;
    }
    this.records++;
    const carried = this.lastTime;
    this.lastTime = time;
    this.apply(plan, sub, raw, line, time, carried);
  }

  keyed(reading: RecordReading, raw: string, line: number): boolean {
    const { key, time } = reading;
    const memo = this.memo!;
    let plan = memo.plans.get(key);
    let sub = IDENTITY;
    // What the byte keys may remember for this record (RecordSink.keyedPlan): not a plan replayed for other addresses.
    let known = plan;
    let byAddress: ByAddress | undefined;
    if (!plan) {
      if (memo.nothing.has(key)) known = SAYS_NOTHING;
      else {
        byAddress = this.byAddresses(key);
        if (byAddress) ({ plan, sub } = byAddress);
        else {
          if (!this.nothingKnown(reading)) return false;
          if (key.length <= MEMO_KEY_MAX) rememberNothing(memo, detach(key));
          known = SAYS_NOTHING;
        }
      }
    }
    this.keyedPlan = known;
    this.keyedAddresses = byAddress;
    // A record the hints rule out needed no plan: it counts neither way in the probe (planFor).
    this.replay(plan ?? SAYS_NOTHING, sub, raw, line, time);
    return true;
  }

  /**
   * A warning or error record that the hints rule out, known from its reading alone (the text a grammar gives): it
   * says nothing (interpret's first test), so it needs no parse and no plan.
   */
  private nothingKnown(reading: RecordReading): boolean {
    return reading.text !== undefined && isProblemLevel(reading.level) && saysNothingKnown(reading.text);
  }

  /** The plan of a record read alike but for its socket addresses, with what puts this record's in. */
  private byAddresses(key: string): ByAddress | undefined {
    const byAddress = this.memo!.byAddress;
    if (key.length > ADDRESS_KEY_MAX || byAddress.size === 0) return undefined;
    const a = socketAddresses(key);
    const entry = a && byAddress.get(a.key);
    const sub = entry && substitution(entry.ips, a.ips);
    return sub ? { plan: entry.plan, sub, ips: entry.ips } : undefined;
  }

  private apply(plan: Plan, sub: (s: string) => string, raw: string, line: number, time: string | undefined, carried: string | undefined): void {
    if (plan.steps.length === 0) return;
    // Most records yield nothing: the stamp is made only when an event is recorded (every step records one). Its
    // excerpt is made when LogFacts keeps the stamp (most endpoint results are replaced by the next one).
    const stamp = this.facts.stamp({ source: this.ctx.source, path: this.ctx.path, line, excerpt: undefined }, time, carried, raw);
    for (const step of plan.steps) step(this.facts, stamp, sub);
  }

  /** `rawKey`: the grammar's reading key, which replaces readingOf's (keyed() already looked it up). */
  private planFor(rec: LogRecord, rawKey?: string): Known {
    const memo = this.memo;
    const reading = readingOf(rec, rawKey === undefined);
    // Decided on a copy: the memo holds no slice of a log block (V8 substrings pin their parent), nor does LogFacts,
    // which keeps endpoint results as given.
    if (!memo) return { plan: this.decide(detachedRecord(reading.record)), sub: IDENTITY };
    const key = rawKey ?? reading.key!;
    this.lookups++;
    const plan = rawKey === undefined ? memo.plans.get(key) : undefined;
    const known = plan ? { plan, sub: IDENTITY } : rawKey === undefined ? this.byAddresses(key) : undefined;
    if (known) {
      this.hits++;
      return known;
    }
    const decided = this.decide(detachedRecord(reading.record));
    if (decided.pure && key.length <= MEMO_KEY_MAX) {
      const a = decided.addresses && key.length <= ADDRESS_KEY_MAX ? socketAddresses(key) : undefined;
      rememberPlan(memo, detach(key), decided, a && { key: detach(a.key), ips: a.ips.map((ip) => detach(ip)) });
    }
    // A file whose records rarely repeat (a ticket, a transcript) would only pay for the copies.
    if (!this.probed && this.lookups >= MEMO_PROBE) {
      this.probed = true;
      if (this.hits < this.lookups / 8) this.memo = undefined;
    }
    return { plan: decided, sub: IDENTITY };
  }

  /** What the record says, as steps; reads the file's state (the operation) and marks the plan when it does. */
  private decide(rec: LogRecord): Plan {
    const steps: Step[] = [];
    this.stateful = false;
    this.addressSafe = true;
    this.interpret(rec, steps);
    if (steps.length === 0 && !this.stateful) return NOTHING;
    return { steps, pure: !this.stateful, addresses: this.addressSafe };
  }

  /** A step whose strings (versions, names, states) do not go through `sub`: its plan is for its own addresses only. */
  private plainStep(steps: Step[], step: Step): void {
    this.addressSafe = false;
    steps.push(step);
  }

  private interpret(rec: LogRecord, steps: Step[]): void {
    const text = oneLine(recordText(rec));
    const tolerated = rec.level === 'debug' || rec.level === 'trace';
    // Below warning level only the informational signatures matter (failures there are ignored anyway).
    const quiet = tolerated || rec.level === 'info';
    // The prefilter spares the whole catalog on records that mention none of its literals (most of them).
    const hinted = !quiet && SIGNATURE_HINT.test(text);
    if (!hinted && isProblemLevel(rec.level) && saysNothingKnown(text)) return;
    const op = OP.exec(text)?.[1]?.toLowerCase();
    if (op) {
      this.op = op;
      this.stateful = true;
    }
    const matches = quiet ? matchSignatures(text, INFO_KINDS) : hinted ? matchSignatures(text) : [];

    this.version(rec, matches, steps);
    if (this.ctx.role === 'agent-log') this.os(rec, steps);
    if (!tolerated) this.azcm(rec, text, steps);
    for (const m of matches) {
      const subject = m.subject;
      if (m.signature.id === 'agent-status' && subject && !tolerated) this.plainStep(steps, (f, stamp) => f.agentStatus(subject, stamp));
      if (m.signature.id === 'service-state' && subject && !tolerated) {
        const [name, state] = subject.split('=');
        const s = serviceState(state!);
        this.plainStep(steps, (f, stamp) => f.service(name!, s, stamp));
      }
    }
    // States and versions are statements whatever the level (PowerShell prints them as VERBOSE).
    if (rec.level !== 'trace') this.statements(text, steps, rec.time === undefined && rec.level === undefined);
    if (tolerated || mentionsImds(text)) return;
    const problem = rec.level === undefined || isProblemLevel(rec.level);
    if (ALL_PASSED.test(text) && !NEGATED.test(text)) steps.push((f, stamp) => f.allEndpointsOk(stamp));
    const failures = matches.filter((m) => FAILURE_KINDS.has(m.signature.kind));
    if (problem && failures.length > 0) {
      this.failures(rec, text, failures, steps);
      return;
    }
    if (failures.length === 0) this.success(rec, text, steps);
  }

  private version(rec: LogRecord, matches: SignatureMatch[], steps: Step[]): void {
    const explicit = matches.find((m) => m.signature.id === 'agent-version')?.subject;
    if (explicit) {
      this.plainStep(steps, (f, stamp) => f.version(explicit, stamp));
      return;
    }
    if (this.ctx.role !== 'agent-log') return;
    const fv = field(rec, 'Version', 'AgentVersion', 'Agent Version', 'version');
    const v = (fv && VERSION_FIELD.exec(fv.trim())?.[1]) ?? VERSION_IN_MSG.exec(rec.msg)?.[1];
    if (v) this.plainStep(steps, (f, stamp) => f.version(v, stamp));
  }

  /** `OS="Windows Server 2022 Datacenter" OS Version=10.0.20348` as agent logs state them at start. */
  private os(rec: LogRecord, steps: Step[]): void {
    const name = field(rec, 'OS', 'OSName', 'OS Name', 'Operating System')?.trim();
    if (!name || name.length > 120) return;
    const platform = /windows/i.test(name) ? 'windows' : /linux|ubuntu|debian|red hat|rhel|centos|suse|sles|oracle|rocky|alma|mariner|amazon/i.test(name) ? 'linux' : 'other';
    const version = field(rec, 'OSVersion', 'OS Version')?.trim();
    const withVersion = version && /^\d+(\.\d+){1,3}$/.test(version) ? version : undefined;
    this.plainStep(steps, (f, stamp) => {
      // A fresh value each time: LogFacts keeps the object it is given.
      const os: OsFact = { platform, name };
      if (withVersion) os.version = withVersion;
      f.osInfo(os, stamp);
    });
  }

  /** Facts stated in words: OS (prose, in pasted text only), memory, the AdminCenter extension, registration states. */
  /** `sentence`: the line has no time or level of a log record, so a person may have written it. */
  private statements(text: string, steps: Step[], sentence: boolean): void {
    if (!STATEMENT_HINT.test(text)) return;
    if (this.ctx.source === 'pasted' && this.ctx.role === 'text') {
      const os = osStatement(text);
      if (os) {
        const { prose, ...value } = os;
        this.plainStep(steps, (f, stamp) => f.osInfo({ ...value }, stamp, prose));
      }
    }
    const memory = memoryStatement(text);
    if (memory) this.plainStep(steps, (f, stamp) => f.memoryBytes(memory, stamp));
    else if (sentence && this.ctx.source === 'pasted' && this.ctx.role === 'text') {
      // "a VM with 2 GB RAM": a person's sentence, confirmed on the machine before anyone acts on it.
      const stated = memoryProseStatement(text);
      if (stated) {
        this.plainStep(steps, (f, stamp) => {
          stamp.evidence.prose = true;
          f.memoryBytes(stated, stamp);
        });
      }
    }
    const ext = adminCenterStatement(text);
    if (ext) this.plainStep(steps, (f, stamp) => f.adminCenter(ext, stamp));
    if (this.ctx.role === 'text' || this.ctx.role === 'command-output') {
      const version = agentVersionStatement(text);
      if (version) {
        // Outputs print four-part versions; "agent version 1.35" is a person's sentence.
        const prose = version.split('.').length < 4;
        this.plainStep(steps, (f, stamp) => {
          if (prose) stamp.evidence.prose = true;
          f.version(version, stamp);
        });
      }
      const cloud = cloudStatement(text);
      // A typed `--cloud` is read from any text or output; a cloud named in words only from a person's sentence.
      if (cloud && (!cloud.prose || (sentence && this.ctx.role === 'text'))) {
        const prose = cloud.prose || (sentence && this.ctx.role === 'text');
        this.plainStep(steps, (f, stamp) => {
          if (prose) stamp.evidence.prose = true;
          f.cloud(cloud.cloud, stamp);
        });
      }
      const state = agentStateStatement(text);
      if (state) {
        const prose = sentence && this.ctx.role === 'text';
        this.plainStep(steps, (f, stamp) => {
          if (prose) stamp.evidence.prose = true;
          f.agentStatus(state, stamp);
        });
      }
    }
    const setting = configStatement(text);
    if (setting) {
      // A command typed into a ticket says what the admin set, not what the agent holds now.
      const prose = sentence && this.ctx.role === 'text';
      this.plainStep(steps, (f, stamp) => {
        if (prose) stamp.evidence.prose = true;
        f.configSetting(setting.key, setting.value, stamp);
      });
    }
    for (const host of privateEndpointStatements(text)) this.plainStep(steps, (f, stamp) => f.privateHost(host, stamp));
    const unstarted = serviceStartStatement(text);
    if (unstarted) this.plainStep(steps, (f, stamp) => f.service(unstarted.name, unstarted.state, stamp));
    const reg = registrationStatements(text);
    const agentStatus = reg?.agentStatus;
    if (agentStatus) this.plainStep(steps, (f, stamp) => f.agentStatus(agentStatus, stamp));
    for (const svc of reg?.services ?? []) this.plainStep(steps, (f, stamp) => f.service(svc.name, svc.state, stamp));
  }

  /** AZCM codes name the operation being run: these steps read the file's state, so the plan is not memoized. */
  private azcm(rec: LogRecord, text: string, steps: Step[]): void {
    const op = this.op ?? `${this.ctx.role === 'agent-log' ? 'agent' : 'log'} (${this.ctx.path})`;
    const before = steps.length;
    // Codes in the message get their details from the message, not from the fields after it.
    const source = /\bAZCM\d{4}\b/.test(rec.msg) ? rec.msg : text;
    AZCM_ALL.lastIndex = 0;
    let sawCode = false;
    for (let m = AZCM_ALL.exec(source); m; m = AZCM_ALL.exec(source)) {
      sawCode = true;
      const code = `AZCM${m[1]}`;
      const details = m[2]?.trim() || undefined;
      if (code === 'AZCM0000') this.plainStep(steps, (f, stamp) => f.opSuccess(op, stamp));
      else this.plainStep(steps, (f, stamp) => f.opFailure(op, code, details, stamp));
    }
    if (!sawCode) {
      const exit = AZCM_EXIT.exec(text);
      const n = Number(exit?.[1] ?? exit?.[2]);
      if (exit && n > 0) {
        const details = `exit code ${n}: ${excerpt(text)}`;
        this.plainStep(steps, (f, stamp) => f.opFailure(op, `AZCM${String(n).padStart(4, '0')}`, details, stamp));
      } else if (EXIT_ZERO.test(text) || (exit && n === 0)) this.plainStep(steps, (f, stamp) => f.opSuccess(op, stamp));
    }
    if (steps.length > before) this.stateful = true;
  }

  private failures(rec: LogRecord, text: string, failures: SignatureMatch[], steps: Step[]): void {
    for (const m of failures) {
      const id = m.signature.id;
      const subject = m.subject;
      steps.push((f, stamp, sub) => {
        const hit: SignatureHit = { id, text: f.excerptOf(stamp) ?? sub(text) };
        if (stamp.time) hit.time = stamp.time;
        if (subject) hit.subject = sub(subject);
        f.signature(hit, stamp.evidence);
      });
    }
    if (!failures.some((m) => ENDPOINT_KINDS.has(m.signature.kind))) return;
    const issuer = failures.find((m) => m.signature.id === 'tls-untrusted-root')?.subject;
    const { prefix, segments } = endpointSegments(text);
    if (segments.length === 0) {
      // No endpoint named in the text: a field may still name it (`Endpoint=`, `Request URL=`).
      const endpoint = endpointOf(rec, text) ?? wacServiceNamed(text);
      if (endpoint) this.endpointFailed(endpoint.host, endpoint.url, errorText(rec, text), text, steps, issuer);
      return;
    }
    for (const seg of segments) {
      // A segment without an error of its own shares the record's (the error came before the endpoint).
      const own = classifyErrors(seg.text).length > 0;
      const errorPart = own ? seg.text : prefix + seg.text;
      const quoted = segments.length === 1 && hasErrorField(rec) ? errorText(rec, text) : quoteError(errorPart);
      this.endpointFailed(seg.host, seg.url, quoted, errorPart, steps, issuer);
    }
  }

  /** One endpoint's failure: the layers its error text states (most specific first), the proxy it went through. */
  private endpointFailed(host: string, url: string | undefined, quoted: string, errorPart: string, steps: Step[], issuer?: string): void {
    const layers = classifyErrors(errorPart);
    if (layers.length === 0) return;
    const ids = new Set(layers.map((l) => l.layer as string));
    const layer = layers[0]!.layer;
    const proxy = layer === 'proxy-connect' ? proxyAddressIn(errorPart) : undefined;
    const probeFor = (sub: (s: string) => string): Partial<EndpointProbe> => {
      const probe = failureLayers(ids, sub(quoted), issuer === undefined ? undefined : sub(issuer));
      probe.layer = layer;
      if (proxy) probe.proxyAddress = sub(proxy);
      return probe;
    };
    // The failure for the record's own addresses, made once: LogFacts copies what it is given (endpointFailure).
    const own = probeFor(IDENTITY);
    steps.push((f, stamp, sub) => f.endpointFailure(host, sub === IDENTITY ? own : probeFor(sub), stamp, url === undefined ? undefined : sub(url)));
  }

  /**
   * A 2xx status counts as the endpoint's success at warning and error level too (decided in issue 13, see README
   * "Performance"): `level=warning msg="Request completed after retries" Status=200` says the request got through
   * (DNS, TCP, TLS and HTTP all worked) after the retries the level reports. A support engineer asks whether the
   * endpoint is reachable now; counting only info-level 2xx would leave a resolved outage reported as open, and
   * would turn a pass into a skip on agents that log every retried request as a warning.
   */
  private success(rec: LogRecord, text: string, steps: Step[]): void {
    const status = Number(field(rec, ...STATUS_CODE_FIELDS) ?? NaN);
    const http2xx = Number.isInteger(status) && status >= 200 && status < 300;
    const answered = this.httpAnswer(text);
    const worded = SUCCESS.test(rec.msg) && !NEGATED.test(rec.msg);
    if (!http2xx && !worded && answered === undefined) return;
    // A URL field names the endpoint (the common heartbeat and request lines): the text scan is for the rest.
    const named = field(rec, 'Endpoint', 'Request URL', 'RequestURL', 'URL', 'Uri', 'Url') !== undefined ? endpointOf(rec, text) : undefined;
    const endpoints: Array<{ host: string; url?: string }> = named ? [named] : endpointSegments(text).segments;
    if (endpoints.length === 0) return;
    const tlsField = /^TLS ?v?1\.[0-3]$/i.exec(field(rec, 'TLS Version', 'TLSVersion', 'tls') ?? '')?.[0] ?? TLS_USED.exec(text)?.[1];
    const tls = tlsField?.replace(/^TLS ?v?/i, 'TLS ');
    for (const e of endpoints) {
      const { host, url } = e;
      if (answered !== undefined && answered >= 500) {
        const error = clipError(text);
        const own: Partial<EndpointProbe> = { reachable: false, error, http: { status: answered }, layer: 'http-status' };
        steps.push((f, stamp, sub) => f.endpointFailure(host, sub === IDENTITY ? own : { ...own, error: sub(error) }, stamp, url === undefined ? undefined : sub(url)));
        continue;
      }
      const code = http2xx ? status : answered;
      // One details object for every record replayed for its own addresses (LogFacts keeps it as given, never changed).
      const details: SuccessDetails = { url, tlsProtocol: tls, httpStatus: code };
      steps.push((f, stamp, sub) => (sub === IDENTITY ? f.endpointSucceeded(host, stamp, details) : f.endpointSuccess(host, stamp, url === undefined ? undefined : sub(url), tls, code)));
    }
  }

  /** The HTTP status a connectivity test got, when the line states one (not a 407: that is the proxy's). */
  private httpAnswer(text: string): number | undefined {
    const m = HTTP_ANSWER.exec(text);
    const n = Number(m?.[1] ?? m?.[2] ?? m?.[3]);
    return Number.isInteger(n) && n >= 200 && n < 600 && n !== 407 ? n : undefined;
  }
}

/** The record has an `Error`/`err` field: that is the text to quote. */
function hasErrorField(rec: LogRecord): boolean {
  return field(rec, 'Error', 'err', 'error', 'Exception') !== undefined;
}

/** Free text: quote from the first error wording on (a table row's columns or a prompt before it say nothing). */
function quoteError(errorPart: string): string {
  const first = classifyErrors(errorPart).reduce((min, m) => Math.min(min, m.index), errorPart.length);
  // Keep Go's error chain that leads to it (`Post "https://...": dial tcp 1.2.3.4:443: i/o timeout`).
  const from = Math.max(0, first - 300);
  const lead = GO_CHAIN.exec(errorPart.slice(from, first));
  return clipError(errorPart.slice(lead ? from + lead.index : first));
}

const GO_CHAIN = /(?:Get|Post|Put|Head|Delete) \\?"|proxyconnect tcp|(?:dial|read|write) tcp/;

function clipError(s: string): string {
  return clipWords(s, 300, '...');
}
