import { strict as assert } from 'node:assert';
import { gcBracket } from './gc-bracket';
import type { Grammar } from './grammar';
import { logrusText, readingKey } from './logrus';
import { normalizeLevel, readingOf, recordText } from './record';
import { oneLine } from './record';
import { LogFacts, LogFileReader, PlanMemo, scanLogText } from './index';
import { prng } from '../../../test/support/prng';

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** A logrus-ish record from a small alphabet, so that records with equal keys come up often. */
function randomRecord(r: () => number): string {
  const parts: string[] = [];
  const space = (): string => pick(r, [' ', ' ', ' ', '  ', '\t', '', ' \u00a0']);
  if (r() < 0.9) parts.push(pick(r, ['time="2025-06-03T14:00:00Z"', 'time="2025-06-03T14:00:01Z"', 'Time="2025-06-03 14:00:02"', 'time="not a time"', 'time=2025-06-03T14:00:03Z']));
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    parts.push(pick(r, [
      'level=error', 'level=warning', 'level=bogus', 'LEVEL=info', 'level=constructor', 'level=""',
      'msg="Request failed"', 'msg=""', 'msg=Failed', 'Msg="x \\" y"', 'msg="unterminated',
      `RequestId=${Math.floor(r() * 3)}`, `Duration="${Math.floor(r() * 3)}ms"`, 'Attempt=2', 'PID=1',
      'Error="dial tcp: lookup gbl.his.arc.azure.com: no such host"', 'Status=503', 'Status=200',
      'Endpoint="https://management.azure.com"', 'Proxy Status="set"', 'time="2025-06-03T14:00:09Z"',
      'level=fatal', 'not a pair', '=x', 'k ey=v', 'a.b-c/d=1', `x=${pick(r, ['"a b"', 'RequestId=1', '"RequestId=2"'])}`,
    ]));
  }
  return parts.map((p, i) => (i === 0 ? p : space() + p)).join('');
}

/**
 * Records whose reading keys are equal must parse to equal readings (readingOf) and the same time: checked over
 * `records`; returns how many were keyed and how many shared a key with an earlier one.
 */
function checkKeys(records: readonly string[], grammar: Grammar): { keyed: number; shared: number; texts: number } {
  const byKey = new Map<string, { reading: string; time: string | undefined; record: string }>();
  let keyed = 0;
  let shared = 0;
  let texts = 0;
  for (const record of records) {
    const k = grammar.readingKey!(record);
    const parsed = grammar.parse(record);
    if (!k) continue;
    keyed++;
    assert.ok(parsed, `a keyed record parses: ${record}`);
    assert.equal(k.time, parsed.time, record);
    // What a grammar says of the text and level without a parse is what the interpreter would read.
    if (k.level !== undefined || k.text !== undefined) assert.equal(k.level, parsed.level, record);
    if (k.text !== undefined) {
      texts++;
      assert.equal(k.text, oneLine(recordText(readingOf(parsed).record)), record);
    }
    const reading = readingOf(parsed).key!;
    const seen = byKey.get(k.key);
    if (seen) {
      shared++;
      assert.equal(reading, seen.reading, `same key, different readings:\n  ${seen.record}\n  ${record}`);
      assert.equal(parsed.time !== undefined, seen.time !== undefined);
    } else byKey.set(k.key, { reading, time: parsed.time, record });
  }
  return { keyed, shared, texts };
}

describe('reading keys (records read alike are interpreted once)', () => {
  it('records with equal reading keys parse to equal readings and the same time (10,000 random records and variants)', () => {
    const r = prng(20261202);
    const records: string[] = [];
    for (let i = 0; i < 2500; i++) {
      const base = randomRecord(r);
      records.push(base);
      // Variants that differ only in what a reading leaves out: the time and the volatile values.
      for (let v = 0; v < 3; v++) {
        records.push(base.replace(/14:00:0(\d)/g, () => `14:00:0${Math.floor(r() * 10)}`).replace(/(RequestId=|Duration=")\d/g, (_m, k: string) => `${k}${Math.floor(r() * 10)}`));
      }
    }
    const { keyed, shared } = checkKeys(records, logrusText);
    // The alphabet must exercise both sides: many keyed records, many sharing a key with another.
    assert.ok(keyed > 3000 && shared > 1000, `keyed ${keyed}, shared ${shared}`);
  });

  it('leaves irregular records to the parser: no time first, an unreadable time, a record cut short', () => {
    assert.equal(readingKey('level=error msg="no time"'), undefined);
    assert.equal(readingKey('time="yesterday" level=error msg="x"'), undefined);
    assert.equal(readingKey('time="2025-06-03T14:00:00Z" foo bar msg="cut'), undefined);
    assert.equal(readingKey('no pairs at all'), undefined);
    const k = readingKey('time="2025-06-03T14:00:00Z" level=error msg="x" RequestId=abc Duration=5ms Error="e"');
    assert.deepEqual(k, { key: ' level=error msg="x"  Error="e"', time: '2025-06-03T14:00:00.000Z' });
    // The usual record: time first, volatile pairs last; the key is the text between them.
    const usual = 'time="2025-06-03T14:00:00Z" level=error msg="x" Status=503 Duration=5ms RequestId=abc';
    assert.equal(readingKey(usual)?.key, ' level=error msg="x" Status=503 ');
    assert.equal(readingKey(`${usual} trailing words`)?.key, ' level=error msg="x" Status=503  trailing words');
  });

  it('volatile fields (request ids, durations, attempts) are not part of what a record says', () => {
    const a = readingOf(logrusText.parse('time="2025-06-03T14:00:00Z" level=error msg="m" RequestId=1 Status=503')!).key;
    const b = readingOf(logrusText.parse('time="2025-06-03T14:00:05Z" level=error msg="m" RequestId=2 Status=503')!).key;
    const c = readingOf(logrusText.parse('time="2025-06-03T14:00:05Z" level=error msg="m" RequestId=2 Status=502')!).key;
    assert.equal(a, b);
    assert.notEqual(a, c);
    // The error quoted for an HTTP status failure is the record's reading, without them.
    const line = 'time="2025-06-03T14:00:00Z" level=error msg="Request returned an error status" Uri=https://management.azure.com/x Status=503 Duration=120ms RequestId=5f0c';
    const { observations } = scanLogText('himds.log', `${line}\n`, 'bundle', 'agent-log');
    const probe = observations.find((o) => o.name === 'probe.management.azure.com')!.value as { error: string };
    assert.equal(probe.error, 'Request returned an error status Uri=https://management.azure.com/x Status=503');
  });

  it('level=constructor is not a level (the levels table answered with its prototype)', () => {
    assert.equal(normalizeLevel('constructor'), undefined);
    assert.equal(normalizeLevel('__proto__'), undefined);
    assert.equal(normalizeLevel(' WARN '), 'warning');
    assert.equal(logrusText.parse('time="2025-06-03T14:00:00Z" level=constructor msg="x"')!.level, undefined);
  });
});

/** An agent log with repeats, operations (stateful records), statements, IMDS and debug noise, successes after failures. */
function randomLog(r: () => number, lines: number, distinct: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const t = new Date(Date.UTC(2025, 5, 3, 14) + i * 1000 * Math.floor(1 + r() * 3)).toISOString().replace('.000Z', 'Z');
    const host = pick(r, ['gbl.his.arc.azure.com', 'management.azure.com', 'login.microsoftonline.com', 'pas.windows.net']);
    const id = `RequestId=${Math.floor(r() * 1e9).toString(16)}`;
    const v = Math.floor(r() * distinct);
    out.push(pick(r, [
      `time="${t}" level=error msg="Request failed" Error="Get \\"https://${host}/x\\": dial tcp: lookup ${host}: no such host" ${id}`,
      `time="${t}" level=error msg="Request failed" Error="Get \\"https://${host}/x\\": dial tcp 20.1.2.${v % 250}:443: i/o timeout" ${id}`,
      `time="${t}" level=warning msg="Retrying request" URL="https://${host}/x${v}" Attempt=${v % 5} Status=${pick(r, [500, 503])} ${id}`,
      `time="${t}" level=warning msg="Request completed after retries" Endpoint="https://${host}" Status=200 ${id} Duration=${v}ms`,
      `time="${t}" level=info msg="Request succeeded" Endpoint="https://${host}" Status Code=200 ${id}`,
      `time="${t}" level=error msg="x509: certificate signed by unknown authority" Endpoint="https://${host}" Issuer="CN=Corp Proxy CA"`,
      `time="${t}" level=error msg="Failed to send heartbeat, will retry" ${id}`,
      `time="${t}" level=debug msg="Request failed" Error="dial tcp 169.254.169.254:80: i/o timeout"`,
      `time="${t}" level=info msg="Command: azcmagent ${pick(r, ['connect', 'check', 'show'])}"`,
      `time="${t}" level=error msg="AZCM00${pick(r, ['42', '19', '00'])}: operation ${v}" Exit Code=${pick(r, [0, 42])}`,
      `time="${t}" level=info msg="Agent version" Version=1.${30 + (v % 12)}.02345.1234`,
      `time="${t}" level=info msg="Starting" OS="Windows Server 2022 Datacenter" OS Version=10.0.20348`,
      `time="${t}" level=info msg="Connectivity test passed"`,
      `time="${t}" level=error msg="required endpoints unavailable: https://${host}/ (error: remote error: tls: handshake failure), https://pas.windows.net/ (error: EOF)"`,
      `time="${t}" level=warning msg="Agent Status: Disconnected"`,
      `time="${t}" level=error msg="unique failure ${i}: connection reset by peer" Endpoint="https://${host}"`,
      // Socket addresses that change from record to record (addresses.ts): the memo replays plans with them put back.
      `time="${t}" level=error msg="Request failed" Error="Post \\"https://${host}/y\\": proxyconnect tcp: dial tcp 10.0.${v % 200}.1:3128: connect: connection refused" ${id}`,
      `time="${t}" level=error msg="Request failed" Error="read tcp 10.0.0.4:${50000 + (v % 3)}->20.50.${v % 256}.${(v * 7) % 256}:443: read: connection reset by peer" Endpoint="https://${host}"`,
      `time="${t}" level=error msg="Request failed" Error="dial tcp 20.1.${v % 9}.1:443, then 20.1.${(v + 1) % 9}.1:443 and 20.1.${v % 9}.1:443: i/o timeout" Endpoint="https://${host}:${v % 2 === 0 ? 443 : 8443}"`,
      `time="${t}" level=error msg="Request failed" Error="Get \\"https://20.1.2.${v % 250}:443/x\\": dial tcp 20.1.2.${v % 250}:443: i/o timeout" Endpoint="https://${host}"`,
    ]));
  }
  return `${out.join('\n')}\n`;
}

describe('the interpretation memo', () => {
  for (const [lines, distinct, label] of [
    [3000, 20, 'repeats (the memo hits)'],
    [6000, 5000, 'mostly distinct records (the memo fills, is emptied, or is dropped)'],
  ] as const) {
    it(`gives the same facts and notes as deciding every record afresh: ${label}`, () => {
      for (const seed of [1, 2]) {
        const text = randomLog(prng(seed * 7919), lines, distinct);
        for (const role of ['agent-log', 'text'] as const) {
          const memo = scanLogText('himds.log', text, 'bundle', role, true);
          const fresh = scanLogText('himds.log', text, 'bundle', role, false);
          assert.deepEqual(memo.observations, fresh.observations, `seed ${seed}, ${role}`);
          assert.deepEqual(memo.notes, fresh.notes);
          assert.deepEqual(memo.summary, fresh.summary);
          assert.ok(memo.observations.length > 5);
        }
      }
    });
  }
});

describe('the interpretation memo shared by a bundle\'s files', () => {
  it('gives each file the facts it gets alone, whatever files came before', () => {
    const plans = new PlanMemo();
    const texts = [1, 2, 3].map((seed) => randomLog(prng(seed * 104729), 2500, 40));
    for (const [i, text] of texts.entries()) {
      const shared = scanLogText(`himds-${i}.log`, text, 'bundle', 'agent-log', plans);
      const alone = scanLogText(`himds-${i}.log`, text, 'bundle', 'agent-log', false);
      assert.deepEqual(shared.observations, alone.observations, `file ${i}`);
      assert.deepEqual(shared.notes, alone.notes);
      assert.ok(shared.observations.length > 5);
    }
  });

  it('keeps what a record says in one kind of file out of another kind (an agent log states the OS, a text does not)', () => {
    const text = [0, 1, 2].map((s) => `time="2025-06-03T14:00:0${s}Z" level=warning msg="Starting" OS="Windows Server 2022 Datacenter" OSVersion=10.0.20348`).join('\n');
    const plans = new PlanMemo();
    const agent = scanLogText('himds.log', text, 'bundle', 'agent-log', plans);
    const other = scanLogText('notes.log', text, 'bundle', 'text', plans);
    assert.deepEqual(agent.observations.map((o) => o.name), ['os']);
    assert.deepEqual(other.observations, scanLogText('notes.log', text, 'bundle', 'text', false).observations);
    assert.ok(!other.observations.some((o) => o.name === 'os'));
  });
});

describe('stamps kept by LogFacts', () => {
  it('all have their excerpt, and none holds its record, once the facts leave (state, observations)', () => {
    // Ending in successes: the stamps of a run of them wait for their excerpt (collector.ts, settle).
    const hosts = ['gbl.his.arc.azure.com', 'management.azure.com', 'login.microsoftonline.com', 'pas.windows.net'];
    const tail = hosts.flatMap((h) => [1, 2].map((s) => `time="2025-06-04T00:00:0${s}Z" level=info msg="Request succeeded" Endpoint="https://${h}" Status Code=200\n`));
    const text = randomLog(prng(4242), 3000, 30) + tail.join('');
    const facts = new LogFacts(0);
    const reader = new LogFileReader({ path: 'himds.log', source: 'bundle', role: 'agent-log' }, facts);
    reader.pushText(text);
    reader.end();
    const state = facts.state();
    // Every object with an `order` and an `evidence` in the state is a stamp.
    let stamps = 0;
    const unsettled: string[] = [];
    const visit = (v: unknown, seen: Set<unknown>): void => {
      if (v === null || typeof v !== 'object' || seen.has(v)) return;
      seen.add(v);
      if (v instanceof Map) return v.forEach((x) => visit(x, seen));
      const o = v as Record<string, unknown>;
      if ('order' in o && 'evidence' in o) {
        stamps++;
        const e = o.evidence as { excerpt?: unknown; line?: number };
        if (o.record !== undefined || typeof e.excerpt !== 'string') unsettled.push(`line ${e.line}`);
      }
      for (const x of Object.values(o)) visit(x, seen);
    };
    visit(state, new Set());
    assert.ok(stamps > 100, `${stamps} stamps`);
    assert.deepEqual(unsettled, []);
    // The excerpt is the record's line, as the evidence quotes it (lines up to the excerpt's length).
    const lines = text.split('\n');
    let compared = 0;
    for (const o of facts.observations()) {
      for (const e of o.evidence) {
        const line = lines[e.line! - 1]!.trim();
        if (line.length > 200) continue;
        assert.equal(e.excerpt, line);
        compared++;
      }
    }
    assert.ok(compared > 10, `${compared} excerpts compared`);
  });
});

/** A GuestConfig record from a small alphabet (heads with and without activity ids, wrapped, odd levels). */
function randomGcRecord(r: () => number): string {
  const time = pick(r, ['2025-02-07 11:47:58.101', '2025-02-07 11:47:59.5', '2025-02-07 11:48:00', '2025-02-07 25:00:00']);
  const gclog = r() < 0.2;
  const level = pick(r, ['ERROR', 'WARNING', 'INFO', 'Error', 'constructor', 'CRITICAL']);
  const id = r() < 0.5 ? ` [${pick(r, ['3f9d6b2e-8c41-4e0a-9b7d-12ab34cd56ef', '00000000-0000-0000-0000-000000000000'])}]` : '';
  const msg = pick(r, [
    'Failed to download extension package from https://gbl.his.arc.azure.com/packages. Status code: 504.',
    'Failed to download extension package from https://gbl.his.arc.azure.com/packages. Status code: 200.',
    'Polling for assignments', '  padded message  ', '', '[not an id] x509: certificate signed by unknown authority',
    `Timer callback took ${Math.floor(r() * 5000)} ms; the previous run has not finished`, 'line one\n  line two', 'wrapped </GCLOG> inside',
    `Connection to https://gbl.his.arc.azure.com took ${Math.floor(r() * 900)} ms`,
  ]);
  return `${gclog ? '<GCLOG>' : ''}[${time}] [PID ${Math.floor(r() * 3)}] [TID ${Math.floor(r() * 3)}] [${pick(r, ['Pull Client', 'EXTMGR', ' Pull Client '])}] [${level}]${id} ${msg}${gclog && r() < 0.5 ? '</GCLOG>' : ''}`;
}

describe('reading keys of GuestConfig records', () => {
  it('records with equal reading keys parse to equal readings and the same time (5,000 random records)', () => {
    const r = prng(20261203);
    const { keyed, shared, texts } = checkKeys(Array.from({ length: 5000 }, () => randomGcRecord(r)), gcBracket);
    assert.ok(keyed > 3000 && shared > 2000 && texts > 1000, `keyed ${keyed}, shared ${shared}, with text ${texts}`);
    // A head whose time doesn't read is parsed, not keyed.
    assert.equal(gcBracket.readingKey!('[2025-02-07 25:00:00] [PID 1] [TID 2] [EXTMGR] [ERROR] x'), undefined);
    assert.equal(gcBracket.readingKey!('not a record'), undefined);
  });

  it('gives the same facts with the memo as without it', () => {
    const r = prng(77);
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) lines.push(randomGcRecord(r).replace(/^(<GCLOG>)?\[[^\]]+\]/, (_m, g?: string) => `${g ?? ''}[2025-02-07 11:${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000]`));
    const text = `${lines.join('\n')}\n`;
    const memo = scanLogText('gc_ext.log', text, 'bundle', 'agent-log', true);
    const fresh = scanLogText('gc_ext.log', text, 'bundle', 'agent-log', false);
    assert.equal(memo.summary.grammar, 'gc-bracket');
    assert.deepEqual(memo.observations, fresh.observations);
    assert.deepEqual(memo.notes, fresh.notes);
    // The alphabet reaches an endpoint's probe and a signature, so the comparison compares something.
    assert.deepEqual([...new Set(memo.observations.map((o) => o.name))].sort(), ['log.signatures', 'probe.gbl.his.arc.azure.com']);
  });
});
