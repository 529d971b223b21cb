import { strict as assert } from 'node:assert';
import { absorbCapped, LogFacts, type Stamp } from './collector';
import type { EndpointProbe } from '../../model/facts';
import { prng } from '../../../test/support/prng';

/** One event as a file states it: what LogFacts method it calls, with what. */
type Event = (f: LogFacts, stamp: Stamp) => void;

const HOSTS = ['gbl.his.arc.azure.com', 'management.azure.com', 'login.microsoftonline.com', 'pas.windows.net'];

/** Failures given as one object per host and content, as a plan replayed for the record's own addresses gives them. */
const SHARED_FAILURES = new Map<string, Partial<EndpointProbe>>();

/**
 * Values are drawn here, not when the event is fed: each feeding must give the same calls. `shared`: failures with
 * equal content are given as the same object (SHARED_FAILURES), else each as a fresh one; the draws are the same.
 */
function randomEvent(rand: () => number, shared = false): Event {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const r = rand();
  const host = pick(HOSTS);
  const withUrl = rand() < 0.5;
  if (r < 0.35) {
    const layers = { reachable: false, layer: pick(['dns', 'tcp-timeout', 'http-status'] as const), error: pick(['EOF', 'i/o timeout']) };
    if (shared) {
      const key = `${host} ${layers.layer} ${layers.error}`;
      const one = SHARED_FAILURES.get(key) ?? SHARED_FAILURES.set(key, layers).get(key)!;
      return (f, s) => f.endpointFailure(host, one, s, withUrl ? `https://${host}/x` : undefined);
    }
    return (f, s) => f.endpointFailure(host, { ...layers }, s, withUrl ? `https://${host}/x` : undefined);
  }
  if (r < 0.65) {
    const status = pick([200, 204, undefined]);
    return (f, s) => f.endpointSuccess(host, s, withUrl ? `https://${host}/` : undefined, undefined, status);
  }
  if (r < 0.68) return (f, s) => f.allEndpointsOk(s);
  const op = pick(['connect', 'check']);
  if (r < 0.75) {
    const code = pick(['AZCM0041', 'AZCM0026']);
    return (f, s) => f.opFailure(op, code, undefined, s);
  }
  if (r < 0.78) return (f, s) => f.opSuccess(op, s);
  const version = pick(['1.35.02478.1', '1.40.02659.1', '1.44.02799.2']);
  if (r < 0.82) return (f, s) => f.version(version, s);
  const id = pick(['dns', 'tls-untrusted-root']);
  if (r < 0.86) return (f, s) => f.signature({ id, text: 'x' }, s.evidence);
  const status = pick(['Connected', 'Disconnected']);
  if (r < 0.9) return (f, s) => f.agentStatus(status, s);
  const service = pick(['himds', 'GCArcService']);
  const state = pick(['running', 'stopped'] as const);
  if (r < 0.93) return (f, s) => f.service(service, state, s);
  const bytes = Math.floor(rand() * 8) * 2 ** 30;
  if (r < 0.95) return (f, s) => f.memoryBytes(bytes, s);
  const name = pick(['Windows Server 2022', 'Windows Server 2019']);
  const prose = rand() < 0.3;
  if (r < 0.97) return (f, s) => f.osInfo({ platform: 'windows', name }, s, prose);
  const ext = pick([{ provisioningState: 'Failed' }, { provisioningState: 'Succeeded' }, { version: '0.5.0' }]);
  if (r < 0.975) return (f, s) => f.adminCenter({ ...ext }, s);
  const [key, value] = pick([['incomingconnections.ports', '22'], ['incomingconnections.ports', '6516'], ['proxy.url', ''], ['proxy.url', 'http://10.0.0.5:3128']] as const);
  if (r < 0.99) return (f, s) => f.configSetting(key, value, s);
  return (f, s) => f.privateHost(host, s);
}

interface FileEvents {
  path: string;
  events: Array<{ event: Event; time?: string; line: number }>;
}

/** Files with events whose times overlap across files, repeat (ties) and go backwards, as real bundles' do. */
function randomFiles(seed: number, files: number, perFile: number, shared = false): FileEvents[] {
  const rand = prng(seed);
  return Array.from({ length: files }, (_, i) => ({
    path: `log-${i}.log`,
    events: Array.from({ length: perFile }, (__, line) => {
      const t = Math.floor(rand() * perFile * 0.6);
      const time = rand() < 0.05 ? undefined : `2026-09-14T00:${String(Math.floor(t / 60) % 60).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}.000Z`;
      return time === undefined ? { event: randomEvent(rand, shared), line: line + 1 } : { event: randomEvent(rand, shared), time, line: line + 1 };
    }),
  }));
}

function feed(f: LogFacts, file: FileEvents): void {
  let last: string | undefined;
  for (const { event, time, line } of file.events) {
    event(f, f.stamp({ source: 'bundle', path: file.path, line, excerpt: `line ${line}` }, time, last));
    if (time) last = time;
  }
}

/** Everything a LogFacts says, as the bundle reports it. */
function said(f: LogFacts): unknown {
  const observations = f.observations();
  return { observations, notes: f.notes, hits: f.hitCounts(), events: f.eventCount };
}

function oneForAll(files: FileEvents[], runCap?: number): unknown {
  const f = new LogFacts(undefined, runCap);
  for (const file of files) feed(f, file);
  return said(f);
}

function perFile(files: FileEvents[], viaClone: boolean, runCap?: number): unknown {
  const all = new LogFacts(undefined, runCap);
  files.forEach((file, i) => {
    const f = new LogFacts(i + 1, runCap);
    feed(f, file);
    all.absorb(viaClone ? LogFacts.fromState(structuredClone(f.state())) : f);
  });
  return said(all);
}

describe('LogFacts.absorb', () => {
  it('says what one LogFacts fed every file says, for random files (caps, ties, resolutions, summaries across files)', () => {
    let capped = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const files = randomFiles(seed, 1 + (seed % 5), seed % 3 === 0 ? 3000 : 200);
      const expected = oneForAll(files) as { notes: string[] };
      assert.deepEqual(perFile(files, false), expected, `seed ${seed}`);
      if (expected.notes.some((n) => /older repeated events were summarized/.test(n))) capped++;
    }
    // The caps (runs per host, events per operation) are what per-file windows must reproduce: they must be hit.
    assert.ok(capped >= 5, `only ${capped} seeds hit a cap`);
  });

  it('failures given again as the same object (replayed plans) say what fresh copies say, read alone or absorbed', () => {
    let repeats = 0;
    for (let seed = 200; seed <= 230; seed++) {
      const files = randomFiles(seed, 1 + (seed % 4), seed % 3 === 0 ? 2000 : 300, true);
      const fresh = randomFiles(seed, 1 + (seed % 4), seed % 3 === 0 ? 2000 : 300);
      const expected = oneForAll(fresh);
      assert.deepEqual(oneForAll(files), expected, `seed ${seed}, one LogFacts`);
      assert.deepEqual(perFile(files, false), expected, `seed ${seed}, absorbed`);
      repeats += files.reduce((n, f) => n + f.events.length, 0);
    }
    assert.ok(SHARED_FAILURES.size > 10 && repeats > 10000, `${SHARED_FAILURES.size} shared failures over ${repeats} events`);
  });

  it('a run of failures alternating among shared objects has the layers of assigning each as it came', () => {
    // Twelve objects with overlapping and differing keys, more than a run keeps pending before it flushes.
    const pool: Array<Partial<EndpointProbe>> = Array.from({ length: 12 }, (_, i) => ({
      reachable: false,
      error: `e${i % 5}`,
      ...(i % 2 === 0 ? { layer: 'http-status' as const, http: { status: 500 + i } } : { layer: 'tcp-timeout' as const }),
      ...(i % 3 === 0 ? { proxyAddress: `10.0.0.${i}:3128` } : {}),
    }));
    for (const seed of [1, 2, 3, 4]) {
      const rand = prng(seed);
      const facts = new LogFacts(0);
      const expected: Partial<EndpointProbe> = {};
      for (let i = 0; i < 400; i++) {
        // Few objects for a while, then all of them: both the reordering and the flush of a long pending list.
        const failure = pool[Math.floor(rand() * (i < 200 ? 3 : pool.length))]!;
        Object.assign(expected, failure);
        const time = `2025-06-03T14:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`;
        facts.endpointFailure('management.azure.com', failure, facts.stamp({ source: 'bundle', path: 'himds.log', line: i + 1, excerpt: `line ${i + 1}` }, time));
      }
      const probe = facts.observations().find((o) => o.name === 'probe.management.azure.com')!.value as EndpointProbe;
      for (const [k, v] of Object.entries(expected)) assert.deepEqual((probe as unknown as Record<string, unknown>)[k], v, `seed ${seed}: ${k}`);
    }
  });

  it('counts every failure before the latest success, those of runs the cap dropped too, read alone or absorbed', () => {
    const host = 'gbl.his.arc.azure.com';
    const time = (i: number): string => `2026-09-14T${String(Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`;
    // File 0 ends failing; file 1 goes on failing (its first run continues file 0's last) and then alternates, with
    // two failures a run, far past the runs a window keeps; each file's last success comes after every failure.
    const files: FileEvents[] = [0, 1].map((f) => {
      const events: FileEvents['events'] = [];
      let i = f * 10000;
      const fail: Event = (lf, s) => lf.endpointFailure(host, { reachable: false, layer: 'tcp-timeout' }, s);
      const ok: Event = (lf, s) => lf.endpointSuccess(host, s, undefined, undefined, 200);
      if (f === 1) events.push({ event: fail, time: time(i++), line: events.length + 1 });
      for (let k = 0; k < 300; k++) {
        events.push({ event: fail, time: time(i++), line: events.length + 1 }, { event: fail, time: time(i++), line: events.length + 1 });
        events.push({ event: ok, time: time(i++), line: events.length + 1 });
      }
      if (f === 0) events.push({ event: fail, time: time(i++), line: events.length + 1 });
      return { path: `log-${f}.log`, events };
    });
    const expectedCount = 2 * 300 + 1 + 1 + 2 * 300;
    for (const got of [oneForAll(files), perFile(files, false), perFile(files, true)] as Array<{ notes: string[] }>) {
      const note = got.notes.find((n) => n.startsWith(`${host}: `));
      assert.ok(note?.startsWith(`${host}: ${expectedCount} failures, the last at `), JSON.stringify(got.notes));
    }
  });

  it('says of endpoints what an unbounded list of runs says, whatever order the runs came in (files overlapping in time)', () => {
    const endpointsOnly = (said: unknown): unknown => {
      const { observations, notes } = said as { observations: Array<{ name: string }>; notes: string[] };
      return { observations: observations.filter((o) => o.name.startsWith('probe.')), notes: notes.filter((n) => !/older repeated events/.test(n)) };
    };
    let dropping = 0;
    for (let seed = 300; seed <= 340; seed++) {
      const files = randomFiles(seed, 1 + (seed % 5), seed % 2 === 0 ? 2000 : 400);
      const unbounded = endpointsOnly(oneForAll(files, 1e9));
      const eight = new LogFacts(undefined, 8);
      for (const file of files) feed(eight, file);
      if ([...eight.state().endpoints.values()].some((h) => h.dropped !== undefined)) dropping++;
      for (const cap of [2, 8, 64]) {
        const capped = oneForAll(files, cap);
        assert.deepEqual(endpointsOnly(capped), unbounded, `seed ${seed}, cap ${cap}, one LogFacts`);
        assert.deepEqual(endpointsOnly(perFile(files, false, cap)), unbounded, `seed ${seed}, cap ${cap}, absorbed`);
        assert.deepEqual(endpointsOnly(perFile(files, true, cap)), unbounded, `seed ${seed}, cap ${cap}, through a clone`);
      }
    }
    assert.ok(dropping >= 20, `only ${dropping} seeds dropped runs`);
  });

  it('failures that began before the latest success and went on after it: said as a range with the success in between', () => {
    const host = 'management.azure.com';
    const stamp = (f: LogFacts, line: number, time: string): Stamp => f.stamp({ source: 'bundle', path: 'x.log', line, excerpt: `line ${line}` }, time);
    const fail = (f: LogFacts, line: number, time: string): void => f.endpointFailure(host, { reachable: false, layer: 'http-status', http: { status: 503 } }, stamp(f, line, time));
    const ok = (f: LogFacts, line: number, time: string): void => f.endpointSuccess(host, stamp(f, line, time), undefined, undefined, 200);
    const a = new LogFacts(1);
    fail(a, 1, '2026-09-14T00:00:00.000Z');
    fail(a, 2, '2026-09-14T03:00:00.000Z');
    const b = new LogFacts(2);
    ok(b, 1, '2026-09-14T02:00:00.000Z');
    const all = new LogFacts();
    all.absorb(a);
    all.absorb(b);
    all.observations();
    assert.deepEqual(all.notes, [`${host}: 2 failures from 2026-09-14T00:00:00.000Z to 2026-09-14T03:00:00.000Z, reachable at 2026-09-14T02:00:00.000Z in between; the last state is a failure.`]);
    // A failure after the success only: "then".
    const c = new LogFacts();
    ok(c, 1, '2026-09-14T02:00:00.000Z');
    fail(c, 2, '2026-09-14T03:00:00.000Z');
    c.observations();
    assert.deepEqual(c.notes, [`${host}: reachable at 2026-09-14T02:00:00.000Z, then failed at 2026-09-14T03:00:00.000Z; the last state is a failure.`]);
  });

  it('says the same through state() and a structured clone (what a log worker posts)', () => {
    for (let seed = 100; seed <= 110; seed++) {
      const files = randomFiles(seed, 4, 1500);
      assert.deepEqual(perFile(files, true), oneForAll(files), `seed ${seed}`);
    }
  });

  it('absorbCapped keeps and drops what pushCapped would, item by item', () => {
    const gone: number[] = [];
    const pushCapped = (list: number[], item: number, cap: number): number => {
      list.push(item);
      if (list.length <= cap) return 0;
      gone.push(...list.splice(0, Math.floor(cap / 2)));
      return Math.floor(cap / 2);
    };
    for (const cap of [4, 5, 200]) {
      for (const start of [0, 1, cap - 1, cap]) {
        for (const pushed of [0, 1, cap - start, cap - start + 1, cap * 3 + 7]) {
          const items = Array.from({ length: pushed }, (_, i) => 1000 + i);
          const expected = Array.from({ length: start }, (_, i) => i);
          let droppedExpected = 0;
          gone.length = 0;
          for (const x of items) droppedExpected += pushCapped(expected, x, cap);
          const got = Array.from({ length: start }, (_, i) => i);
          const window = items.slice(Math.max(0, pushed - cap - (pushed % 3)));
          // What it says it dropped, with the items pushed before the window (dropped where they were pushed).
          const said = items.slice(0, pushed - window.length);
          const dropped = absorbCapped(got, window, pushed, cap, (items) => said.push(...items));
          assert.deepEqual(got, expected, `cap ${cap} start ${start} pushed ${pushed}`);
          assert.equal(dropped, droppedExpected);
          assert.deepEqual(said.sort((a, b) => a - b), gone.sort((a, b) => a - b), `dropped items: cap ${cap} start ${start} pushed ${pushed}`);
        }
      }
    }
  });
});
