/**
 * Accumulates what log records say (versions, AZCM codes per operation, endpoint failures and successes,
 * signature hits) in bounded memory, then turns it into fact observations, time-aware:
 * - an endpoint's probe fact is its LAST state: a failure followed by a success is resolved, and the earlier
 *   failure is emitted as an older observation so the finding mentions it;
 * - AZCM codes of an operation that later exited with AZCM0000 are resolved the same way (`agent.error`);
 *   the others are `agent.errorCodes`.
 */
import { observe, probeKey, serviceKey, type AdminCenterExtensionFact, type AgentErrorFact, type EndpointProbe, type Observation, type OsFact, type ServiceState, type SignatureHit } from '../../model/facts';
import type { Evidence } from '../../model/types';
import { configObservations } from '../azcmagent-config';
import { successLayers } from './endpoints';
import { detach, recordExcerpt } from './record';

/**
 * When and where an event was seen. `order` sorts events: the normalized ISO time (which sorts as text), or
 * for untimed events the last time their file stated ('' before any).
 */
export interface Stamp {
  time?: string;
  order: string;
  seq: number;
  evidence: Evidence;
  /**
   * The record whose excerpt the evidence still lacks (a slice of its log block), until LogFacts keeps the stamp
   * (settle): a noisy log's endpoint results mostly replace the one before, and their excerpts were most of what
   * reading them allocated.
   */
  record?: string | undefined;
}

/** Gives the stamp its evidence excerpt (detached) if it still lacks one; returns it. */
function settle(s: Stamp): Stamp {
  if (s.record !== undefined) {
    s.evidence.excerpt = detach(recordExcerpt(s.record));
    s.record = undefined;
  }
  return s;
}

const MAX_EVENTS_PER_KEY = 400;
/**
 * Runs kept per host in order (a file's window holds up to twice as many). Any number gives the same report: what
 * the report reads of the runs the cap drops is kept apart, whatever their order (DroppedRuns), so the report is what
 * an unbounded list gives. Small: on a log that alternates between failing and answering, every run lives until this
 * many more of its host's come, and a longer life was most of what the garbage collector copied on a noisy log.
 */
export const MAX_RUNS_PER_HOST = 8;

/**
 * What a host's runs dropped by the cap still tell the report (endpointObservations), kept whatever order they came
 * in (files overlap in time): their failures' count, the latest success and failure, and the failures later than
 * that success (a later success may still resolve them; the latest MAX_LATER_FAILURES of them).
 */
export interface DroppedRuns {
  failures: number;
  latestOk?: EndpointRun | undefined;
  latestFailure?: EndpointRun | undefined;
  laterFailures: EndpointRun[];
}

/**
 * Dropped failures later than the latest dropped success kept per host (DroppedRuns.laterFailures). In order, a host
 * has at most one such run (runs alternate); more come only from runs out of order, and past 32 of them the ones that
 * ended earliest leave the range, layers and count a still-open failure is reported with.
 */
const MAX_LATER_FAILURES = 32;

/** What LogFacts holds of one host's endpoint results. */
export interface HostRuns {
  /** The latest runs, in order (at most the cap; a file's window twice as many). */
  runs: EndpointRun[];
  /** A file's (windowed): the runs pushed, and the first of them (absorb continues another file's runs with it). */
  pushed: number;
  first?: EndpointRun | undefined;
  /** What the runs the cap dropped still tell. */
  dropped?: DroppedRuns | undefined;
}

const laterThan = (a: EndpointRun, b: EndpointRun | undefined): boolean => !b || cmp(a.last, b.last) > 0;

/** Takes a dropped run into `d` (`counted`: its failures are in d.failures already). */
function foldDropped(d: DroppedRuns, run: EndpointRun, counted = false): void {
  const later = d.laterFailures;
  if (run.ok) {
    if (!laterThan(run, d.latestOk)) return;
    d.latestOk = run;
    let w = 0;
    for (const r of later) if (laterThan(r, run)) later[w++] = r;
    later.length = w;
    return;
  }
  if (!counted) d.failures += run.count;
  if (laterThan(run, d.latestFailure)) d.latestFailure = run;
  if (!laterThan(run, d.latestOk) || later.includes(run)) return;
  later.push(run);
  if (later.length > MAX_LATER_FAILURES) {
    let earliest = 0;
    for (let i = 1; i < later.length; i++) if (laterThan(later[earliest]!, later[i])) earliest = i;
    later.splice(earliest, 1);
  }
}
const MAX_HOSTS = 300;
const MAX_HITS_PER_SIGNATURE = 20;
const MAX_VERSIONS = 20;
/** Settings keys kept (the config facts read ten). */
const MAX_SETTINGS = 20;
const MAX_OPS = 50;
const MAX_MARKERS = 1000;

/** Consecutive results of the same kind for a host, kept as one run (bounded memory on long logs). */
export interface EndpointRun {
  ok: boolean;
  first: Stamp;
  last: Stamp;
  count: number;
  /** Failure runs: every failing layer seen; success runs: none (see `success`). */
  layers: Partial<EndpointProbe>;
  /**
   * The failure whose layers were the last copied into `layers`, as given (not kept, never changed): the next failure
   * given as the same object (a plan replayed for the record's own addresses) changes nothing, so it is not copied.
   */
  assigned?: Partial<EndpointProbe> | undefined;
  url?: string;
  /**
   * Success runs: what the latest success stated, from which its layers are built once, when facts are made (a
   * run of thousands of heartbeats keeps only its last).
   */
  success?: SuccessDetails;
}

export interface SuccessDetails {
  url?: string | undefined;
  tlsProtocol?: string | undefined;
  httpStatus?: number | undefined;
}

function runLayers(run: EndpointRun): Partial<EndpointProbe> {
  return run.success ? successLayers(run.success.url, run.success.tlsProtocol, run.success.httpStatus) : run.layers;
}

export interface OpEvent {
  ok: boolean;
  code?: string;
  details?: string;
  stamp: Stamp;
}

const cmp = (a: Stamp, b: Stamp): number => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.seq - b.seq);
const byOrder = (a: { stamp: Stamp }, b: { stamp: Stamp }): number => cmp(a.stamp, b.stamp);

/** Appends with a cap: past it, the oldest half is dropped (counted) so memory stays bounded on huge logs. */
function pushCapped<T>(list: T[], item: T, cap: number): number {
  list.push(item);
  if (list.length <= cap) return 0;
  const drop = Math.floor(cap / 2);
  list.splice(0, drop);
  return drop;
}

/**
 * A file's LogFacts keeps the last `cap` items of a list instead (or more: up to twice that, cut back in one splice),
 * with the count pushed, so that absorbing it can do exactly what pushCapped would have done item by item.
 */
function pushWindowed<T>(list: T[], item: T, cap: number): void {
  list.push(item);
  if (list.length > 2 * cap) list.splice(0, list.length - cap);
}

/**
 * pushCapped for each of `pushed` items, of which `window` holds the last ones (at least `cap` of them, or all), at
 * once: the drops come at the same lengths, so the same items stay. Returns the items dropped.
 */
export function absorbCapped<T>(list: T[], window: readonly T[], pushed: number, cap: number, dropped?: (items: readonly T[]) => void): number {
  if (pushed === 0) return 0;
  const half = Math.floor(cap / 2);
  const total = list.length + pushed;
  const drops = total <= cap ? 0 : 1 + Math.floor((total - cap - 1) / half);
  const keep = total - drops * half;
  if (keep >= pushed) {
    // Nothing pushed was dropped: `window` is all of it.
    const gone = list.splice(0, list.length - (keep - pushed));
    if (gone.length > 0) dropped?.(gone);
    for (const item of window) list.push(item);
  } else {
    // The pushed items before `window` were dropped where they were pushed (and handled there: endpointEvent).
    if (dropped) {
      if (list.length > 0) dropped(list);
      if (window.length > keep) dropped(window.slice(0, window.length - keep));
    }
    list.length = 0;
    for (let i = window.length - keep; i < window.length; i++) list.push(window[i]!);
  }
  return total - keep;
}

/**
 * Whether a keyed state stamped `stamp` may replace what `map` holds for `key` (the latest wins; equal order, the later
 * given): not when the held one is later, and a key not held yet only while the map has fewer than `cap`.
 */
function takesLatest(map: ReadonlyMap<string, { stamp: Stamp }>, key: string, stamp: Stamp, cap = Infinity): boolean {
  const prev = map.get(key);
  return prev ? cmp(prev.stamp, stamp) <= 0 : map.size < cap;
}

function when(s: Stamp): string {
  return s.time ? ` at ${s.time}` : ` (${place(s)})`;
}

/** The stamp as an end of a range ("from <time> to <time>"), without the "at" of when(). */
function point(s: Stamp): string {
  return s.time ? ` ${s.time}` : ` ${place(s)}`;
}

function place(s: Stamp): string {
  return `${s.evidence.path ?? 'input'} line ${s.evidence.line ?? '?'}`;
}

/**
 * Strings given to LogFacts are kept. The interpreter decides what records say on detached copies of them
 * (detachedRecord), so the endpoint results (most events of a noisy log) are kept as given; the other, rarer events
 * and every evidence excerpt (cut from the raw record, a slice of its log block) are detached here.
 */
/** Stamps of one file sort after every earlier file's at the same time: its seqs start at its index times this. */
const FILE_SEQ = 2 ** 32;

/**
 * What a LogFacts holds, as plain data (Maps and objects): it crosses to and from worker threads as one structured
 * clone (shared stamps stay shared). See LogFacts.absorb.
 */
export interface LogFactsState {
  seq: number;
  versions: Map<string, Stamp>;
  ops: Map<string, OpEvent[]>;
  endpoints: Map<string, HostRuns>;
  hits: Map<string, { hits: SignatureHit[]; evidence: Evidence[]; count: number }>;
  statuses: Array<{ value: string; stamp: Stamp }>;
  services: Map<string, { state: ServiceState; stamp: Stamp }>;
  os?: { value: OsFact; stamp: Stamp; prose: boolean } | undefined;
  memory?: { bytes: number; stamp: Stamp } | undefined;
  cloud?: { value: string; stamp: Stamp } | undefined;
  adminCenterState?: { value: Partial<AdminCenterExtensionFact>; stamp: Stamp } | undefined;
  configSettings: Map<string, { value: string; stamp: Stamp }>;
  privateHosts: Map<string, { stamp: Stamp }>;
  dropped: number;
  eventCount: number;
  /** allEndpointsOk stamps, in order: absorbed into another LogFacts, they also resolve the hosts of earlier files. */
  markers: Stamp[];
  /** Per host: how many markers came before its first event here (those apply to its earlier files' state). */
  markersBefore: Map<string, number>;
  /** Windowed lists (a file's): items pushed per host and per operation, and each host's first run. */
  opsPushed: Map<string, number>;
  runCap: number;
}

export class LogFacts {
  private seq: number;
  private readonly versions = new Map<string, Stamp>();
  private readonly ops = new Map<string, OpEvent[]>();
  private readonly endpoints = new Map<string, HostRuns>();
  private readonly hits = new Map<string, { hits: SignatureHit[]; evidence: Evidence[]; count: number }>();
  private readonly statuses: Array<{ value: string; stamp: Stamp }> = [];
  private readonly services = new Map<string, { state: ServiceState; stamp: Stamp }>();
  private os?: { value: OsFact; stamp: Stamp; prose: boolean };
  private memory?: { bytes: number; stamp: Stamp };
  private cloudState?: { value: string; stamp: Stamp };
  private adminCenterState?: { value: Partial<AdminCenterExtensionFact>; stamp: Stamp };
  /** Settings `azcmagent config set` / `clear` commands made (statements.ts), the latest per key. */
  private readonly configSettings = new Map<string, { value: string; stamp: Stamp }>();
  /** Hosts the agent said resolve privately, with the latest statement. */
  private readonly privateHosts = new Map<string, { stamp: Stamp }>();
  private dropped = 0;
  private readonly markers: Stamp[] = [];
  private readonly markersBefore = new Map<string, number>();
  /** A file's LogFacts (constructed with its index): lists are windowed, with their counts pushed, for absorb. */
  private readonly windowed: boolean;
  private readonly opsPushed = new Map<string, number>();
  /** Events recorded (versions, codes, endpoint results, hits, states): 0 means the text said nothing known. */
  eventCount = 0;
  /** Facts worth saying about the input (resolved failures, counts), for the target summary. */
  readonly notes: string[] = [];

  /**
   * `file`: the index of the file whose events these are, when each file gets its own LogFacts (a bundle's, absorbed
   * in file order): stamps of equal time then sort by file, then by arrival, as with one LogFacts for all files.
   */
  constructor(file?: number, private readonly runCap = MAX_RUNS_PER_HOST) {
    this.seq = (file ?? 0) * FILE_SEQ;
    this.windowed = file !== undefined;
  }

  /**
   * A stamp for an event; `carriedTime` orders events whose record states no time. `record`: the raw record, whose
   * excerpt the evidence gets when a stamp is kept (the evidence then has an `excerpt` key, undefined, for its place).
   */
  stamp(evidence: Evidence, time?: string, carriedTime?: string, record?: string): Stamp {
    if (evidence.excerpt !== undefined) evidence.excerpt = detach(evidence.excerpt);
    const s: Stamp = { order: time ?? carriedTime ?? '', seq: this.seq++, evidence, record };
    if (time) s.time = time;
    return s;
  }

  /** The stamp's evidence excerpt (made now if it was waiting). */
  excerptOf(stamp: Stamp): string | undefined {
    return settle(stamp).evidence.excerpt;
  }

  /** Every stamp kept is settled but the last of each host's last run (endpointEvent): those, before facts leave. */
  private settleTails(): void {
    for (const { runs } of this.endpoints.values()) {
      const tail = runs[runs.length - 1];
      if (tail) {
        settle(tail.first);
        settle(tail.last);
      }
    }
  }

  version(v: string, stamp: Stamp): void {
    this.eventCount++;
    settle(stamp);
    v = detach(v);
    const prev = this.versions.get(v);
    if (prev && byOrder({ stamp: prev }, { stamp }) > 0) return;
    if (!prev && this.versions.size >= MAX_VERSIONS) return;
    this.versions.set(v, stamp);
  }

  opFailure(op: string, code: string, details: string | undefined, stamp: Stamp): void {
    this.opEvent(detach(op), details ? { ok: false, code: detach(code), details: detach(details), stamp } : { ok: false, code: detach(code), stamp });
  }

  opSuccess(op: string, stamp: Stamp): void {
    this.opEvent(detach(op), { ok: true, stamp });
  }

  private opEvent(op: string, e: OpEvent): void {
    this.eventCount++;
    settle(e.stamp);
    let list = this.ops.get(op);
    if (!list) {
      if (this.ops.size >= MAX_OPS) return;
      this.ops.set(op, (list = []));
    }
    if (!this.windowed) {
      this.dropped += pushCapped(list, e, MAX_EVENTS_PER_KEY);
      return;
    }
    pushWindowed(list, e, MAX_EVENTS_PER_KEY);
    this.opsPushed.set(op, (this.opsPushed.get(op) ?? 0) + 1);
  }

  endpointFailure(host: string, layers: Partial<EndpointProbe>, stamp: Stamp, url?: string): void {
    // Not detached: endpoint results are the events of a noisy log, and their strings come from a detached record.
    // Not kept either: endpointEvent copies the layers into a new run, or into the run they continue.
    this.endpointEvent(host, false, layers, stamp, url);
  }

  endpointSuccess(host: string, stamp: Stamp, url?: string, tlsProtocol?: string, httpStatus?: number): void {
    this.endpointEvent(host, true, { url, tlsProtocol, httpStatus }, stamp, url);
  }

  /** endpointSuccess with its details as one object, kept as given (a plan's, shared by the records it is replayed for). */
  endpointSucceeded(host: string, stamp: Stamp, details: SuccessDetails): void {
    this.endpointEvent(host, true, details, stamp, details.url);
  }

  private endpointEvent(host: string, ok: boolean, details: Partial<EndpointProbe> | SuccessDetails, stamp: Stamp, url?: string): void {
    this.eventCount++;
    let h = this.endpoints.get(host);
    if (!h) {
      if (this.endpoints.size >= MAX_HOSTS) return;
      host = detach(host);
      this.endpoints.set(host, (h = { runs: [], pushed: 0 }));
      if (this.markers.length > 0) this.markersBefore.set(host, this.markers.length);
    }
    const runs = h.runs;
    const tail = runs[runs.length - 1];
    if (tail && tail.ok === ok && cmp(tail.last, stamp) <= 0) {
      // The run's last stamp is replaced: dropped unsettled, unless it is also the run's first.
      if (tail.last === tail.first) settle(tail.first);
      tail.last = stamp;
      tail.count++;
      if (ok) tail.success = details;
      else if (tail.assigned !== details) {
        Object.assign(tail.layers, details);
        tail.assigned = details;
      }
      if (url) tail.url = url;
      return;
    }
    // The tail's last stamp stays (a run closed): settled. The new run's stamp waits, as the host's last.
    if (tail) settle(tail.last);
    const run: EndpointRun = ok
      ? { ok, first: stamp, last: stamp, count: 1, layers: {}, success: details }
      : { ok, first: stamp, last: stamp, count: 1, layers: { ...(details as Partial<EndpointProbe>) }, assigned: details };
    if (url) run.url = url;
    runs.push(run);
    // As pushCapped and pushWindowed do, with what the dropped runs tell kept.
    if (!this.windowed) {
      if (runs.length <= this.runCap) return;
      // Not counted in `dropped`: what the report says of them is kept (DroppedRuns), nothing is summarized away.
      this.keepDropped(h, runs.splice(0, Math.floor(this.runCap / 2)));
      return;
    }
    if (h.pushed++ === 0) h.first = run;
    if (runs.length > 2 * this.runCap) this.keepDropped(h, runs.splice(0, runs.length - this.runCap));
  }

  /**
   * A summary that every endpoint tested answered (`Connectivity test passed`): each host whose last event is an
   * earlier failure gets a success at this point.
   */
  allEndpointsOk(stamp: Stamp): void {
    this.keepMarker(stamp);
    for (const host of this.endpoints.keys()) this.resolveHost(host, stamp);
  }

  /**
   * Kept for absorb (other files' hosts): only a stamp later than every one before can resolve a failure that the
   * earlier ones did not (each host takes the first that is not before its last failure).
   */
  private keepMarker(stamp: Stamp): void {
    settle(stamp);
    const last = this.markers[this.markers.length - 1];
    if ((!last || cmp(last, stamp) < 0) && this.markers.length < MAX_MARKERS) this.markers.push(stamp);
  }

  private resolveHost(host: string, stamp: Stamp): void {
    const runs = this.endpoints.get(host)?.runs;
    const tail = runs?.[runs.length - 1];
    if (tail && !tail.ok && cmp(tail.last, stamp) <= 0) this.endpointEvent(host, true, { url: tail.url }, stamp, tail.url);
  }

  /** `evidence`: a stamp's, settled (the interpreter quotes its excerpt: excerptOf). */
  signature(hit: SignatureHit, evidence: Evidence): void {
    this.eventCount++;
    let h = this.hits.get(hit.id);
    if (!h) this.hits.set(hit.id, (h = { hits: [], evidence: [], count: 0 }));
    h.count++;
    if (h.hits.length < MAX_HITS_PER_SIGNATURE) {
      const kept: SignatureHit = { id: hit.id, text: detach(hit.text) };
      if (hit.time) kept.time = hit.time;
      if (hit.subject) kept.subject = detach(hit.subject);
      h.hits.push(kept);
      h.evidence.push(evidence);
    }
  }

  agentStatus(value: string, stamp: Stamp): void {
    this.eventCount++;
    settle(stamp);
    if (this.statuses.length >= MAX_EVENTS_PER_KEY) this.statuses.shift();
    this.statuses.push({ value: detach(value), stamp });
  }

  service(name: string, state: ServiceState, stamp: Stamp): void {
    this.eventCount++;
    settle(stamp);
    const key = name.toLowerCase();
    if (takesLatest(this.services, key, stamp)) this.services.set(detach(key), { state, stamp });
  }

  /** An OS as a log field states it, or (prose) as a sentence does: a field beats prose, the first sentence wins. */
  osInfo(value: OsFact, stamp: Stamp, prose = false): void {
    this.eventCount++;
    settle(stamp);
    if (this.os && prose) return;
    if (this.os && !prose && !this.os.prose && byOrder({ stamp: this.os.stamp }, { stamp }) > 0) return;
    const os: OsFact = { platform: value.platform };
    if (value.name) os.name = detach(value.name);
    if (value.version) os.version = detach(value.version);
    if (value.build) os.build = value.build;
    if (prose) stamp.evidence.prose = true;
    this.os = { value: os, stamp, prose };
  }

  /** osInfo's choice for an OS another LogFacts chose (its value already copied). */
  private takeOs(os: { value: OsFact; stamp: Stamp; prose: boolean }): void {
    if (this.os && os.prose) return;
    if (this.os && !this.os.prose && byOrder({ stamp: this.os.stamp }, { stamp: os.stamp }) > 0) return;
    this.os = os;
  }

  memoryBytes(bytes: number, stamp: Stamp): void {
    this.eventCount++;
    settle(stamp);
    if (!this.memory || byOrder({ stamp: this.memory.stamp }, { stamp }) <= 0) this.memory = { bytes, stamp };
  }

  /** The Azure cloud a text names (`--cloud AzureChinaCloud`, "Azure Government"): the latest statement. */
  cloud(value: string, stamp: Stamp): void {
    this.eventCount++;
    settle(stamp);
    if (!this.cloudState || byOrder({ stamp: this.cloudState.stamp }, { stamp }) <= 0) this.cloudState = { value: detach(value), stamp };
  }

  /** AdminCenter extension details stated in text; later statements add to (and override) earlier ones. */
  adminCenter(value: Partial<AdminCenterExtensionFact>, stamp: Stamp): void {
    this.eventCount++;
    settle(stamp);
    this.mergeAdminCenter(value, stamp);
  }

  private mergeAdminCenter(value: Partial<AdminCenterExtensionFact>, stamp: Stamp): void {
    const prev = this.adminCenterState;
    const merged: Partial<AdminCenterExtensionFact> = { ...prev?.value };
    for (const [k, v] of Object.entries(value)) if (v !== undefined) (merged as Record<string, unknown>)[k] = typeof v === 'string' ? detach(v) : v;
    // Evidence: the failure line when there is one, else the latest statement.
    const keep = prev && prev.value.provisioningState === 'Failed' && value.provisioningState === undefined ? prev.stamp : stamp;
    this.adminCenterState = { value: merged, stamp: keep };
  }

  /** A setting an `azcmagent config set` (or `clear`: '') command made; the latest per key counts. */
  configSetting(key: string, value: string, stamp: Stamp): void {
    this.eventCount++;
    settle(stamp);
    if (takesLatest(this.configSettings, key, stamp, MAX_SETTINGS)) this.configSettings.set(detach(key), { value: detach(value), stamp });
  }

  /** The agent said `host` resolves to a private endpoint (a Private Link Scope's, or a DNS zone answering so). */
  privateHost(host: string, stamp: Stamp): void {
    this.eventCount++;
    settle(stamp);
    if (takesLatest(this.privateHosts, host, stamp, MAX_HOSTS)) this.privateHosts.set(detach(host), { stamp });
  }

  /** Everything this holds, as plain data (for a worker thread to post): see absorb. */
  state(): LogFactsState {
    this.settleTails();
    return {
      seq: this.seq, versions: this.versions, ops: this.ops, endpoints: this.endpoints, hits: this.hits, statuses: this.statuses,
      services: this.services, os: this.os, memory: this.memory, cloud: this.cloudState, adminCenterState: this.adminCenterState,
      configSettings: this.configSettings, privateHosts: this.privateHosts, dropped: this.dropped,
      eventCount: this.eventCount, markers: this.markers, markersBefore: this.markersBefore, opsPushed: this.opsPushed,
      runCap: this.runCap,
    };
  }

  /** A LogFacts holding a state() (the structured clone a worker posted). */
  static fromState(s: LogFactsState): LogFacts {
    const f = new LogFacts(0, s.runCap);
    f.seq = s.seq;
    for (const [k, v] of s.opsPushed) f.opsPushed.set(k, v);
    for (const [k, v] of s.versions) f.versions.set(k, v);
    for (const [k, v] of s.ops) f.ops.set(k, v);
    for (const [k, v] of s.endpoints) f.endpoints.set(k, v);
    for (const [k, v] of s.hits) f.hits.set(k, v);
    f.statuses.push(...s.statuses);
    for (const [k, v] of s.services) f.services.set(k, v);
    if (s.os) f.os = s.os;
    if (s.memory) f.memory = s.memory;
    if (s.cloud) f.cloudState = s.cloud;
    if (s.adminCenterState) f.adminCenterState = s.adminCenterState;
    for (const [k, v] of s.configSettings) f.configSettings.set(k, v);
    for (const [k, v] of s.privateHosts) f.privateHosts.set(k, v);
    f.dropped = s.dropped;
    f.eventCount = s.eventCount;
    f.markers.push(...s.markers);
    for (const [k, v] of s.markersBefore) f.markersBefore.set(k, v);
    return f;
  }

  /**
   * Takes in what a later file's LogFacts (`file` > every file absorbed before) recorded, as if its events had been
   * given here one by one after this one's: each kind keeps what its own method would (the latest version stamp,
   * the first hits, the last statuses), an endpoint's runs continue this one's (a run merges into the last one when
   * it would have), and the file's "every endpoint answered" summaries resolve this one's hosts as they would have.
   * Caps apply per file first: a file over a cap (runs per host, events per operation) was summarized on its own.
   * `file` is consumed (its objects are taken over).
   */
  absorb(file: LogFacts): void {
    file.settleTails();
    this.eventCount += file.eventCount;
    this.dropped += file.dropped;
    for (const [v, stamp] of file.versions) {
      const prev = this.versions.get(v);
      if (prev && byOrder({ stamp: prev }, { stamp }) > 0) continue;
      if (!prev && this.versions.size >= MAX_VERSIONS) continue;
      this.versions.set(v, stamp);
    }
    for (const [op, events] of file.ops) {
      let list = this.ops.get(op);
      if (!list) {
        if (this.ops.size >= MAX_OPS) continue;
        this.ops.set(op, (list = []));
      }
      this.dropped += absorbCapped(list, events, file.opsPushed.get(op) ?? events.length, MAX_EVENTS_PER_KEY);
    }
    const known = [...this.endpoints.keys()];
    for (const [host, theirs] of file.endpoints) {
      const before = file.markersBefore.get(host) ?? 0;
      for (let i = 0; i < before; i++) this.resolveHost(host, file.markers[i]!);
      this.absorbRuns(host, theirs);
    }
    // Hosts the file never named: its summaries resolve them as they came.
    for (const host of known) if (!file.endpoints.has(host)) for (const m of file.markers) this.resolveHost(host, m);
    for (const m of file.markers) this.keepMarker(m);
    for (const [id, h] of file.hits) {
      let mine = this.hits.get(id);
      if (!mine) this.hits.set(id, (mine = { hits: [], evidence: [], count: 0 }));
      mine.count += h.count;
      for (let i = 0; i < h.hits.length && mine.hits.length < MAX_HITS_PER_SIGNATURE; i++) {
        mine.hits.push(h.hits[i]!);
        mine.evidence.push(h.evidence[i]!);
      }
    }
    for (const s of file.statuses) {
      if (this.statuses.length >= MAX_EVENTS_PER_KEY) this.statuses.shift();
      this.statuses.push(s);
    }
    for (const [key, v] of file.services) if (takesLatest(this.services, key, v.stamp)) this.services.set(key, v);
    if (file.os) this.takeOs(file.os);
    if (file.memory && (!this.memory || byOrder({ stamp: this.memory.stamp }, { stamp: file.memory.stamp }) <= 0)) this.memory = file.memory;
    if (file.cloudState && (!this.cloudState || byOrder({ stamp: this.cloudState.stamp }, { stamp: file.cloudState.stamp }) <= 0)) this.cloudState = file.cloudState;
    if (file.adminCenterState) this.mergeAdminCenter(file.adminCenterState.value, file.adminCenterState.stamp);
    for (const [key, v] of file.configSettings) if (takesLatest(this.configSettings, key, v.stamp, MAX_SETTINGS)) this.configSettings.set(key, v);
    for (const [host, v] of file.privateHosts) if (takesLatest(this.privateHosts, host, v.stamp, MAX_HOSTS)) this.privateHosts.set(host, v);
  }

  /**
   * Another file's runs of `host` (`pushed` of them, `window` the last ones, `first` the first), continuing this
   * one's: what endpointEvent did for each of their events. The first run merges into the last one here when it
   * would have; the others are new runs, capped as pushCapped would have.
   */
  private absorbRuns(host: string, theirs: HostRuns): void {
    const window = theirs.runs;
    // A file's window, or (a LogFacts fed without one) all its runs.
    const pushed = theirs.first ? theirs.pushed : window.length;
    const first = theirs.first ?? window[0];
    const dropped = theirs.dropped;
    if (!first) return;
    let h = this.endpoints.get(host);
    if (!h) {
      if (this.endpoints.size >= MAX_HOSTS) return;
      this.endpoints.set(host, (h = { runs: [], pushed: 0 }));
    }
    const mine = h;
    const runs = h.runs;
    const tail = runs[runs.length - 1];
    let rest = window;
    let count = pushed;
    if (tail && tail.ok === first.ok && cmp(tail.last, first.first) <= 0) {
      tail.last = first.last;
      tail.count += first.count;
      if (first.ok) tail.success = first.success;
      else {
        Object.assign(tail.layers, first.layers);
        tail.assigned = undefined;
      }
      if (first.url) tail.url = first.url;
      count--;
      if (window[0] === first) rest = window.slice(1);
      // Dropped from the file's window, it is the tail's now (its failures in the tail's count, its time the tail's).
      else if (dropped) {
        if (!first.ok) dropped.failures -= first.count;
        if (dropped.latestOk === first) dropped.latestOk = undefined;
        if (dropped.latestFailure === first) dropped.latestFailure = undefined;
        dropped.laterFailures = dropped.laterFailures.filter((r) => r !== first);
      }
    }
    if (dropped) {
      const d = (h.dropped ??= { failures: 0, laterFailures: [] });
      d.failures += dropped.failures;
      for (const r of [dropped.latestOk, dropped.latestFailure, ...dropped.laterFailures]) if (r) foldDropped(d, r, true);
    }
    absorbCapped(runs, rest, count, this.runCap, (gone) => this.keepDropped(mine, gone));
  }

  /** Keeps what a host's runs that a cap dropped still tell. */
  private keepDropped(h: HostRuns, gone: readonly EndpointRun[]): void {
    const d = (h.dropped ??= { failures: 0, laterFailures: [] });
    for (const r of gone) foldDropped(d, r);
  }

  /** Number of signature hits by id (including those past the kept ones). */
  hitCounts(): Record<string, number> {
    return Object.fromEntries([...this.hits].map(([id, h]) => [id, h.count]));
  }

  observations(): Observation[] {
    this.settleTails();
    const out: Observation[] = [];
    for (const [v, s] of this.versions) out.push(observe('agent.version', v, s.evidence, s.time));
    this.opObservations(out);
    for (const [host, h] of this.endpoints) this.endpointObservations(host, h, out);
    for (const [id, h] of this.hits) {
      out.push(observe('log.signatures', h.hits, h.evidence));
      if (h.count > h.hits.length) this.notes.push(`${id}: ${h.count} occurrences; the first ${h.hits.length} are kept as evidence.`);
    }
    for (const { value, stamp } of this.statuses) out.push(observe('agent.status', value, stamp.evidence, stamp.time));
    for (const [key, { state, stamp }] of this.services) {
      out.push(observe(serviceKey(key), { name: key, state }, stamp.evidence, stamp.time));
    }
    if (this.os) out.push(observe('os', this.os.value, this.os.stamp.evidence, this.os.stamp.time));
    if (this.memory) out.push(observe('memory.totalBytes', this.memory.bytes, this.memory.stamp.evidence, this.memory.stamp.time));
    if (this.cloudState) out.push(observe('agent.cloud', this.cloudState.value, this.cloudState.stamp.evidence, this.cloudState.stamp.time));
    if (this.adminCenterState) {
      const { value, stamp } = this.adminCenterState;
      out.push(observe('extension.adminCenter', { installed: true, ...value }, stamp.evidence, stamp.time));
    }
    if (this.configSettings.size > 0) {
      const set = configObservations([...this.configSettings].map(([key, { value, stamp }]) => ({ key, value, evidence: stamp.evidence })));
      out.push(...set.observations);
      this.notes.push(...(set.warnings ?? []).map((w) => `azcmagent config set ${w}`));
    }
    for (const [host, { stamp }] of this.privateHosts) {
      out.push(observe(probeKey(host), { host, port: 443, private: true }, stamp.evidence, stamp.time));
    }
    if (this.dropped > 0) this.notes.push(`${this.dropped} older repeated events were summarized to bound memory.`);
    return out;
  }

  private opObservations(out: Observation[]): void {
    for (const [op, events] of this.ops) {
      events.sort(byOrder);
      let open: OpEvent[] = [];
      let resolved: { failures: OpEvent[]; success: OpEvent } | undefined;
      for (const e of events) {
        if (e.ok) {
          if (open.length) resolved = { failures: open, success: e };
          open = [];
        } else open.push(e);
      }
      if (resolved) {
        const last = resolved.failures[resolved.failures.length - 1]!;
        const codes = [...new Set(resolved.failures.map((f) => f.code!))];
        const err: AgentErrorFact = last.details ? { code: last.code!, details: last.details } : { code: last.code! };
        out.push(observe('agent.error', err, last.stamp.evidence, last.stamp.time));
        out.push(observe('agent.error', { code: 'AZCM0000' }, resolved.success.stamp.evidence, resolved.success.stamp.time));
        this.notes.push(`${op}: ${codes.join(', ')}${when(last.stamp)} was followed by a successful exit${when(resolved.success.stamp)}; treated as resolved.`);
      }
      if (!resolved && open.length === 0) {
        // The operation only ever succeeded: the logs positively show no error code for it.
        const ok = events[events.length - 1]!;
        out.push(observe('agent.errorCodes', [], ok.stamp.evidence, ok.stamp.time));
      }
      const byCode = new Map<string, OpEvent[]>();
      for (const f of open) byCode.set(f.code!, [...(byCode.get(f.code!) ?? []), f]);
      for (const [code, list] of byCode) {
        const first = list[0]!;
        const last = list[list.length - 1]!;
        const details = last.details ?? first.details;
        const evidence = first === last ? [first.stamp.evidence] : [first.stamp.evidence, last.stamp.evidence];
        out.push(observe('agent.errorCodes', [details ? { code, details } : { code }], evidence, last.stamp.time));
      }
    }
  }

  /** The host's last state wins; failures before a later success are resolved and mentioned. */
  private endpointObservations(host: string, { runs: window, dropped }: HostRuns, out: Observation[]): void {
    const key = probeKey(host);
    const latest = (list: EndpointRun[]): EndpointRun | undefined => list.reduce<EndpointRun | undefined>((best, r) => (!best || cmp(r.last, best.last) > 0 ? r : best), undefined);
    // The runs kept, and those of the dropped ones that can still be read: what an unbounded list would give.
    const runs = dropped ? [...new Set([...window, ...[dropped.latestOk, dropped.latestFailure, ...dropped.laterFailures].filter((r) => r !== undefined)])] : window;
    const ok = latest(runs.filter((r) => r.ok));
    const failures = runs.filter((r) => !r.ok);
    // Every failure of the host's, those of the runs the cap dropped too.
    const allFailures = window.reduce((n, r) => (r.ok ? n : n + r.count), dropped?.failures ?? 0);
    const open = failures.filter((r) => !ok || cmp(r.last, ok.last) > 0);
    const probe = (layers: Partial<EndpointProbe>, url: string | undefined): EndpointProbe => ({ host, port: portOf(url), ...(url ? { url } : {}), ...layers });
    if (open.length > 0) {
      open.sort((a, b) => cmp(a.first, b.first));
      const first = open[0]!.first;
      const lastRun = latest(open)!;
      const layers: Partial<EndpointProbe> = {};
      for (const r of open) Object.assign(layers, r.layers);
      Object.assign(layers, lastRun.layers);
      const count = ok ? open.reduce((n, r) => n + r.count, 0) : allFailures;
      const evidence = first === lastRun.last ? [first.evidence] : [first.evidence, lastRun.last.evidence];
      out.push(observe(key, probe(layers, lastRun.url), evidence, lastRun.last.time));
      const range = count > 1 ? `${count} failures from${point(first)} to${point(lastRun.last)}` : `failed${when(lastRun.last)}`;
      // Failures that began before the success (another file's, overlapping in time) went on after it.
      const around = ok && cmp(first, ok.last) < 0;
      this.notes.push(!ok ? `${host}: ${range}.` : around ? `${host}: ${range}, reachable${when(ok.last)} in between; the last state is a failure.` : `${host}: reachable${when(ok.last)}, then ${range}; the last state is a failure.`);
      return;
    }
    const success = ok!;
    if (failures.length > 0) {
      const lastFailure = latest(failures)!;
      const count = allFailures;
      out.push(observe(key, probe(lastFailure.layers, lastFailure.url), lastFailure.last.evidence, lastFailure.last.time));
      const what = count === 1 ? 'failed' : `${count} failures, the last`;
      this.notes.push(`${host}: ${what}${when(lastFailure.last)}, then reachable${when(success.last)}; treated as resolved.`);
    }
    out.push(observe(key, probe(runLayers(success), success.url), success.last.evidence, success.last.time));
  }
}

function portOf(url: string | undefined): number {
  if (!url) return 443;
  const m = /^(https?):\/\/[^/:]+(?::(\d+))?/i.exec(url);
  if (m?.[2]) return Number(m[2]);
  return m?.[1]?.toLowerCase() === 'http' ? 80 : 443;
}

