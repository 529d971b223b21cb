import { strict as assert } from 'node:assert';
import { prng } from '../../../test/support/prng';
import { ByteKeys, MAX_LOAD, MIDDLE_START } from './byte-keys';
import { LogFacts, LogFileReader } from './index';
import type { LogFileSummary } from './log-file';
import type { Observation } from '../../model/facts';
import { gcBracket } from './gc-bracket';
import { logrusText, middleIsWholePairs, readingKey } from './logrus';
import { NOTHING, type Plan } from './plan-memo';
import { ENTRY, ENTRY_WORDS, HEAD } from './byte-keys';
import type { Grammar } from './grammar';
import { unionLiterals } from './literals';
import { readingOf } from './record';
import { socketAddresses } from './addresses';

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** An agent log read with or without byte keys (and with them, with or without the module reading runs of records): its summary, facts and notes. */
function readLog(path: string, text: string, byteKeys: boolean, scanInModule = true, byteKeyCapacity?: number): { summary: LogFileSummary; observations: Observation[]; notes: string[] } {
  const facts = new LogFacts();
  const reader = new LogFileReader({ path, source: 'bundle', role: 'agent-log', byteKeys, scanInModule, byteKeyCapacity }, facts);
  // As bytes, in the pieces a bundle entry streams in: the blocks are then the pipeline's (64 KiB), which the byte keys
  // load (a whole long text given at once would be one block over MAX_LOAD, left to the reading keys).
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; at += 200_000) reader.push(bytes.subarray(at, at + 200_000));
  return { summary: reader.end(), observations: facts.observations(), notes: facts.notes };
}

/** Each record, looked up alone, is not of the shape: -2, and no key kept for remember(). */
function notOfTheShape(keys: ByteKeys<Plan>, shape: 'logrus' | 'gc', records: readonly string[]): void {
  for (const record of records) {
    assert.equal(probe(keys, record, shape).id, -2, JSON.stringify(record));
    assert.equal(keys.middleEnd(), -1);
  }
}
const T = 'time="2026-09-14T00:16:38Z" ';

/** Looks `record` up alone in `keys`: the id, and where its middle ends. */
function probe(keys: ByteKeys, record: string, shape: 'logrus' | 'gc' = 'logrus'): { id: number; end: number } {
  assert.ok(keys.load(record), 'ASCII text loads');
  const id = keys.lookup(shape, 0, record.length);
  return { id, end: keys.middleEnd() };
}

describe('byte keys (agent records found by their bytes, WebAssembly)', () => {
  it('keys a record of the usual shape by its middle: the trailing volatile pairs and the time left out', () => {
    const keys = ByteKeys.create<Plan>()!;
    const middle = 'level=warning msg="Retrying request" Status=503';
    const a = probe(keys, `${T}${middle} Attempt=4 RequestId=f8c5 Duration=12ms`);
    assert.equal(a.id, -1);
    assert.equal(a.end, MIDDLE_START + middle.length);
    keys.remember(NOTHING);
    // Another time, other volatile values, other case: the same middle.
    assert.equal(probe(keys, `time="2027-01-01T23:59:59Z" ${middle} REQUESTID=0 attempt=1`).id, 0);
    assert.equal(probe(keys, `${T}${middle}`).id, 0);
    // A non-volatile pair after them, a changed status, a name with a space: other middles.
    assert.equal(probe(keys, `${T}${middle} RequestId=1 Status=200`).id, -1);
    assert.equal(probe(keys, `${T}${middle.replace('503', '502')} RequestId=1`).id, -1);
    const spaced = probe(keys, `${T}${middle} Request Id=1`);
    assert.equal(spaced.end, MIDDLE_START + middle.length + ' Request Id=1'.length);
    // A quoted trailing value ends the trailing run: it stays in the middle.
    assert.equal(probe(keys, `${T}${middle} RequestId="1"`).end, MIDDLE_START + middle.length + ' RequestId="1"'.length);
    // Two spaces before a trailing pair: the run stops there (one space stays in the middle).
    assert.equal(probe(keys, `${T}${middle}  RequestId=1`).end, MIDDLE_START + middle.length + 1);
  });

  it('leaves other records to the reading keys: another time form, control characters, non-ASCII text, short records', () => {
    const keys = ByteKeys.create<Plan>()!;
    notOfTheShape(keys, 'logrus', [
      'time="2026-09-14 00:16:38" level=error msg="x"',
      'Time="2026-09-14T00:16:38Z" level=error msg="x"',
      'time="2026-09-14T00:16:38.5Z" level=error msg="x"',
      'time="2026-09-14T00:16:38Z"level=error',
      `${T}level=error msg="a\tb"`,
      `${T}level=error msg="a\rb"`,
      `${T}level=error msg="x\u007f"`,
      // In a trailing pair's value, where the walk reads sixteen bytes at a time: DEL, tab, carriage return.
      `${T}level=error msg="x" RequestId=0123456789abcdef\u007f0123456789abcdef`,
      `${T}level=error msg="x" RequestId=0123456789abcdef\t0123456789abcdef`,
      `${T}level=error msg="x" RequestId=0123456789abcdef\r0123456789abcdef`,
      'time="2026-09-14T00:16:38Z"',
      'level=error msg="no time"',
    ]);
    assert.equal(keys.load(`${T}level=error msg="café"`), false);
    // Text over MAX_LOAD is not copied (the module's memory never shrinks); at the limit it is.
    assert.equal(keys.load(`${T}level=error msg="${'x'.repeat(MAX_LOAD)}"`), false);
    const atLimit = `${T}level=error msg="${'x'.repeat(MAX_LOAD - T.length - 18)}"`;
    assert.equal(atLimit.length, MAX_LOAD);
    assert.equal(probe(keys, atLimit).id, -2); // loaded; a middle over 2,048 bytes is not keyed
    assert.equal(keys.load(`${T}level=error msg="\u0141"`), false);
  });

  it('is emptied when full, and goes on keying', () => {
    const keys = ByteKeys.create<Plan>(undefined, 4096)!;
    const plans: Plan[] = [];
    for (let i = 0; i < 5000; i++) {
      const p = probe(keys, `${T}level=error msg="distinct ${i}" RequestId=${i}`);
      assert.equal(p.id, -1, `record ${i}`);
      const plan: Plan = { steps: [], pure: true, addresses: true };
      plans.push(plan);
      keys.remember(plan);
    }
    // 4,096 fit: the first ones went when the table was emptied; the last ones are found, with their plans.
    assert.equal(probe(keys, `${T}level=error msg="distinct 0" RequestId=x`).id, -1);
    const last = probe(keys, `${T}level=error msg="distinct 4999" RequestId=x`);
    assert.ok(last.id >= 0);
    assert.equal(keys.plan(last.id), plans[4999]);
  });

  it('middleIsWholePairs: a middle is remembered only when its pairs end where it ends', () => {
    const ok = `${T}level=error msg="x" Status=503`;
    assert.equal(middleIsWholePairs(ok, ok.length), true);
    assert.equal(middleIsWholePairs(`${ok} RequestId=1`, ok.length), true);
    // Words that are no pair: with a trailing pair after them the tokenizer reads `garbage words RequestId` as a key.
    const words = `${T}level=error msg="x" garbage words`;
    assert.equal(middleIsWholePairs(`${words} RequestId=1`, words.length), false);
    assert.equal(middleIsWholePairs(words, words.length), false);
    // An unclosed quote reads to the end of the record, through the trailing pairs.
    const open = `${T}level=error msg="cut`;
    assert.equal(middleIsWholePairs(`${open} RequestId=1`, open.length), false);
    assert.equal(middleIsWholePairs(open, open.length), false);
    // An `=` only in the trailing pairs.
    assert.equal(middleIsWholePairs(`${T}level=error msg="x" tail RequestId=1`, `${T}level=error msg="x" tail`.length), false);
  });

  it('records with the same remembered middle parse to the same reading (20,000 random records)', () => {
    const r = prng(20261204);
    const keys = ByteKeys.create<Plan>()!;
    const readingOfId: string[] = [];
    let hits = 0;
    let remembered = 0;
    const middles = new Set<string>();
    const pool = Array.from({ length: 200 }, () => randomMiddle(r));
    for (let i = 0; i < 20_000; i++) {
      const record = randomRecord(r, pool);
      const parsed = logrusText.parse(record);
      const reading = parsed && readingOf(parsed).key;
      const { id, end } = probe(keys, record);
      if (id >= 0) {
        hits++;
        assert.equal(reading, readingOfId[id], `same middle, different readings: ${record}`);
        // The time the scanner gives it is the reading key's (which the record has, as the one remembered had).
        const time = logrusText.byteShape!.time(record);
        if (time !== undefined) assert.equal(readingKey(record)?.time, time, record);
        middles.add(record.slice(MIDDLE_START, end));
      } else if (id === -1 && reading !== undefined && readingKey(record) && middleIsWholePairs(record, end)) {
        // As the scanner: remembered once the reading key took the record (it has a level or a message pair).
        readingOfId.push(reading);
        keys.remember(NOTHING);
        remembered++;
      }
    }
    // The alphabet must exercise both: many middles remembered, many records found by them.
    assert.ok(remembered > 200 && hits > 3000 && middles.size > 150, `remembered ${remembered}, hits ${hits}, middles ${middles.size}`);
  });

  it('give the same facts as the reading keys alone (random agent logs, CRLF and LF)', () => {
    for (const seed of [1, 2, 3]) {
      const r = prng(seed * 31337);
      const lines = Array.from({ length: 4000 }, (_, i) => mostlyAsciiLogLine(r, i));
      for (const eol of ['\n', '\r\n']) {
        const text = lines.join(eol) + eol;
        const withBytes = readLog('himds.log', text, true);
        const without = readLog('himds.log', text, false);
        assert.equal(withBytes.summary.grammar, 'logrus');
        assert.deepEqual(withBytes, without, `seed ${seed}`);
        assert.ok(withBytes.observations.length > 5);
      }
    }
  });
});

describe('byte keys of GuestConfig records', () => {
  const head = (time: string, pid: number, component: string, level: string, id = ' [3f9d6b2e-8c41-4e0a-9b7d-12ab34cd56ef]') =>
    `[${time}] [PID ${pid}] [TID ${pid + 1}] [${component}] [${level}]${id}`;

  it('keys a record by its level word and its message: time, PID, TID, component and activity id left out', () => {
    const keys = ByteKeys.create<Plan>()!;
    const msg = ' Failed to download extension package. Status code: 504.';
    assert.equal(probe(keys, head('2026-09-14 00:50:19.533', 4183, 'Pull Client', 'ERROR') + msg, 'gc').id, -1);
    keys.remember(NOTHING);
    for (const record of [
      head('2027-01-01 23:59:59', 1, 'EXTMGR', 'ERROR') + msg,
      head('2026-09-14 00:50:19,5', 99999, '', 'ERROR', ' [00000000-0000-0000-0000-000000000000]') + msg,
      `<GCLOG>${head('2026-09-14 00:50:19.533', 7, 'Pull Client', 'ERROR')}${msg}`,
      head('2026-09-14 00:50:19.533', 7, 'Pull Client', 'ERROR').replace(/\] \[/g, ']   [') + msg,
    ]) assert.equal(probe(keys, record, 'gc').id, 0, record);
    // Another level word (even in another case), another message, no activity id (the space before it goes): others.
    for (const record of [
      head('2026-09-14 00:50:19.533', 1, 'EXTMGR', 'Error') + msg,
      head('2026-09-14 00:50:19.533', 1, 'EXTMGR', 'ERROR') + msg.replace('504', '502'),
      head('2026-09-14 00:50:19.533', 1, 'EXTMGR', 'ERROR', '') + msg,
      head('2026-09-14 00:50:19.533', 1, 'EXTMGR', 'ERROR', ' [not-an-activity-id-of-36-characters]') + msg,
    ]) assert.equal(probe(keys, record, 'gc').id, -1, record);
  });

  it('leaves heads it does not read to the reading keys', () => {
    notOfTheShape(ByteKeys.create<Plan>()!, 'gc', [
      '[2026-09-14 00:50:19.] [PID 1] [TID 2] [X] [ERROR] m',
      '[2026-09-14T00:50:19] [PID 1] [TID 2] [X] [ERROR] m',
      '[2026-09-14 00:50:19] [PID x] [TID 2] [X] [ERROR] m',
      '[2026-09-14 00:50:19] [PID 1] [TID 2] [X] [ERR0R] m',
      '[2026-09-14 00:50:19] [PID 1] [TID 2] [X m',
      '[2026-09-14 00:50:19] [PID 1] [TID 2] [X] [ERROR] tab\there',
      '<GCLOG [2026-09-14 00:50:19] [PID 1] [TID 2] [X] [ERROR] m',
    ]);
  });

  it('records with the same byte key have the same reading key (20,000 random records)', () => {
    const r = prng(4040);
    const keys = ByteKeys.create<Plan>()!;
    const readingKeyOf: string[] = [];
    let hits = 0;
    const messages = Array.from({ length: 60 }, () => randomGcMessage(r));
    for (let i = 0; i < 20_000; i++) {
      const record = randomGcRecord(r, messages);
      const reading = gcBracket.readingKey!(record);
      if (!keys.load(record)) continue; // non-ASCII: the reading keys alone
      const id = keys.lookup('gc', 0, record.length);
      if (id >= 0) {
        // A time that does not read is no reading key: the scanner then takes the reading key's way (byteShape.time).
        if (!reading) {
          assert.equal(gcBracket.byteShape!.time(record), undefined, record);
          continue;
        }
        hits++;
        assert.equal(reading.key, readingKeyOf[id], record);
        assert.equal(reading.time, gcBracket.byteShape!.time(record));
      } else if (id === -1 && reading) {
        readingKeyOf.push(reading.key);
        keys.remember(NOTHING);
      }
    }
    assert.ok(hits > 10_000 && readingKeyOf.length > 100, `hits ${hits}, remembered ${readingKeyOf.length}`);
  });

  it('give the same facts as the reading keys alone (random GuestConfig logs)', () => {
    const r = prng(5151);
    const messages = Array.from({ length: 40 }, () => randomGcMessage(r));
    const lines = Array.from({ length: 6000 }, (_, i) =>
      randomGcRecord(r, messages).replace(/^(<GCLOG>)?\[[^\]]+\]/, (_m, g?: string) => `${g ?? ''}[2026-09-14 11:${String(10 + Math.floor(i / 600)).padStart(2, '0')}:${String(Math.floor(i / 10) % 60).padStart(2, '0')}.${i % 10}00]`));
    const text = `${lines.join('\r\n')}\r\n`;
    const withBytes = readLog('gc_ext.log', text, true);
    assert.equal(withBytes.summary.grammar, 'gc-bracket');
    assert.deepEqual(withBytes, readLog('gc_ext.log', text, false));
    assert.ok(withBytes.observations.length >= 2);
  });
});

function randomGcMessage(r: () => number): string {
  return pick(r, [
    'Failed to download extension package from https://gbl.his.arc.azure.com/packages. Status code: 504.',
    'Failed to download extension package from https://management.azure.com/packages. Status code: 200.',
    'Polling for assignments', '  padded message  ', '', '[not an id] x509: certificate signed by unknown authority',
    `Timer callback took ${Math.floor(r() * 50)} ms; the previous run has not finished`, 'wrapped </GCLOG> inside',
    `Connection to https://gbl.his.arc.azure.com took ${Math.floor(r() * 9)} ms`, 'caf\u00e9 unreachable', 'line one\n  line two',
    'AZCM0042 operation failed', 'Extension version 1.2.3 installed', 'HandlerManifest: succeeded',
  ]);
}

/** A GuestConfig record: one of `messages` after a head from a small alphabet (wrapped, odd levels, ids or none). */
function randomGcRecord(r: () => number, messages: readonly string[]): string {
  const time = pick(r, ['2025-02-07 11:47:58.101', '2025-02-07 11:47:59.5', '2025-02-07 11:48:00', '2025-02-07 25:00:00', '2025-02-07 11:48:00,25']);
  const gclog = r() < 0.2;
  const level = pick(r, ['ERROR', 'WARNING', 'INFO', 'Error', 'constructor', 'CRITICAL', 'WARN']);
  const id = r() < 0.5 ? ` [${pick(r, ['3f9d6b2e-8c41-4e0a-9b7d-12ab34cd56ef', '00000000-0000-0000-0000-000000000000', 'ABCDEF00-0000-0000-0000-00000000000g'])}]` : '';
  const gap = pick(r, [' ', ' ', '', '  ']);
  return `${gclog ? '<GCLOG>' : ''}[${time}]${gap}[PID ${Math.floor(r() * 3)}]${gap}[TID ${Math.floor(r() * 3)}]${gap}[${pick(r, ['Pull Client', 'EXTMGR', ' Pull Client ', ''])}]${gap}[${level}]${id} ${pick(r, messages)}${gclog && r() < 0.5 ? '</GCLOG>' : ''}`;
}

/** Middles from a small alphabet of pairs, tricky ones included (open quotes, no pairs, keys with spaces, `=` in values). */
function randomMiddle(r: () => number): string {
  const middle: string[] = [];
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    middle.push(pick(r, [
      'level=error', 'level=warning', 'msg="Request failed"', 'msg="a \\" b"', 'msg="unterminated', 'msg=bare',
      'Status=503', 'Status=200', 'Error="x RequestId=1"', 'not a pair', 'k ey=v', 'x=RequestId=1', 'Request Id=2',
      'time="2026-09-14T00:16:40Z"', '=x', 'a.b-c/d=1', 'Msg="m"', 'tail', 'RequestId=1', 'Duration="5ms"',
    ]));
  }
  return middle.join(pick(r, [' ', ' ', ' ', '  ']));
}

/** A record of the byte keys' shape, mostly: one of `middles`, then trailing pairs of every kind. */
function randomRecord(r: () => number, middles: readonly string[]): string {
  const head = pick(r, [T, T, T, 'time="2026-09-14T00:16:39Z" ', 'time="2026-09-14T00:16:39Z"  ', 'time="2026-09-14 00:16:39" ']);
  const trailing: string[] = [];
  const m = Math.floor(r() * 4);
  for (let i = 0; i < m; i++) trailing.push(pick(r, ['RequestId=ab', 'Duration=5ms', 'ATTEMPT=3', 'pid=1', 'RequestId=', 'RequestId=a=b', 'Status=1', 'RequestId="q"']));
  return head + [pick(r, middles), ...trailing].join(pick(r, [' ', ' ', ' ', '  ']));
}

/**
 * randomLogLine, its non-ASCII record only on every 40th line: a block holding one is left to the reading keys (the
 * module reads ASCII blocks), and most blocks must be read in the module for the tests to compare anything.
 */
function mostlyAsciiLogLine(r: () => number, i: number): string {
  const line = randomLogLine(r, i);
  return i % 40 === 0 ? line : line.replace('caf\u00e9', 'cafe');
}

function randomLogLine(r: () => number, i: number): string {
  const t = new Date(Date.UTC(2026, 8, 14) + i * 1000).toISOString().replace('.000Z', 'Z');
  const host = pick(r, ['gbl.his.arc.azure.com', 'management.azure.com', 'pas.windows.net']);
  const id = `RequestId=${Math.floor(r() * 1e6).toString(16)}`;
  return pick(r, [
    `time="${t}" level=warning msg="Retrying request" URL="https://${host}/x" Attempt=${Math.floor(r() * 3)} Status=${pick(r, [500, 503])} ${id}`,
    `time="${t}" level=warning msg="Request completed after retries" Endpoint="https://${host}" Status=200 ${id} Duration=5ms`,
    `time="${t}" level=info msg="Request succeeded" Endpoint="https://${host}" Status Code=200 ${id}`,
    `time="${t}" level=error msg="Request failed" Error="Get \\"https://${host}/x\\": dial tcp: lookup ${host}: no such host" ${id}`,
    `time="${t}" level=error msg="Request failed" Error="dial tcp 20.1.2.${Math.floor(r() * 9)}:443: i/o timeout" Endpoint="https://${host}" ${id}`,
    `time="${t}" level=error msg="x509: certificate signed by unknown authority" Endpoint="https://${host}" Issuer="CN=Corp CA" ${id}`,
    `time="${t}" level=info msg="Command: azcmagent ${pick(r, ['connect', 'check'])}"`,
    `time="${t}" level=error msg="AZCM0042: operation" Exit Code=42 ${id}`,
    `time="${t}" level=info msg="Agent version" Version=1.4${Math.floor(r() * 9)}.02345.1234`,
    `time="${t}" level=error msg="Failed to send heartbeat, will retry" ${id}`,
    `time="${t}" level=error msg="multi\nline" ${id}`,
    `time="${t}" level=warning msg="Agent Status: Disconnected" ${id}`,
    `time="${t}" level=error msg="caf\u00e9 ${host} unreachable" ${id}`,
  ]);
}

interface RecordBounds {
  start: number;
  end: number;
  rawEnd: number;
  line: number;
  breaks: number;
}

/** The candidate records of `text` as the scanner's regex finds them: records start at 0 and at every line that starts one. */
function regexCandidates(g: Grammar, text: string): RecordBounds[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0 && i + 1 < text.length; i = text.indexOf('\n', i + 1)) if (g.startsRecord(text, i + 1)) starts.push(i + 1);
  const out: RecordBounds[] = [];
  const re = new RegExp(g.candidates.source);
  let line = 1;
  for (let k = 0; k < starts.length; k++) {
    const start = starts[k]!;
    const end = starts[k + 1] ?? text.length;
    const record = text.slice(start, end);
    const breaks = record.split('\n').length - 1;
    if (re.test(record)) {
      let rawEnd = end > start && text[end - 1] === '\n' ? end - 1 : end;
      if (rawEnd > start && text[rawEnd - 1] === '\r') rawEnd--;
      out.push({ start, end, rawEnd, line, breaks });
    }
    line += breaks;
  }
  return out;
}

/** The candidate records the module reports for `text` (nothing remembered: it stops at each), and the line at the end. */
function moduleCandidates(keys: ByteKeys<Plan>, shape: 'logrus' | 'gc', text: string, to = text.length): { records: RecordBounds[]; line: number } {
  assert.ok(keys.load(text));
  const records: RecordBounds[] = [];
  let at = 0;
  let line = 1;
  while (at < to) {
    const n = keys.scan(shape, at, to, line);
    const out = keys.out();
    for (let i = 0; i < n; i++) {
      const e = (i + 1) * ENTRY_WORDS;
      records.push({ start: out[e + ENTRY.start]!, end: out[e + ENTRY.end]!, rawEnd: out[e + ENTRY.rawEnd]!, line: out[e + ENTRY.line]!, breaks: out[e + ENTRY.breaks]! });
      assert.ok(out[e + ENTRY.id]! < 0, 'nothing is remembered');
    }
    assert.equal(out[HEAD.quietA]! + out[HEAD.quietB]!, 0);
    assert.ok(out[HEAD.next]! > at, 'the module moves on');
    at = out[HEAD.next]!;
    line = out[HEAD.line]!;
  }
  return { records, line };
}

/** Lines of a log of `g`'s records, continuation lines, blank lines, CRs and near misses of its literals. */
function randomScanText(r: () => number, g: Grammar, n: number): string {
  const literals = unionLiterals(g.candidates)!;
  // Agent heads of the usual shape and short ones (the module looks for the level word 28 characters in).
  const head = g === logrusText
    ? () => (r() < 0.8 ? `time="2026-09-14T00:16:${String(Math.floor(r() * 60)).padStart(2, '0')}Z" ` : `time="${'x'.repeat(Math.floor(r() * 30))}" `)
    : () => `${r() < 0.3 ? '<GCLOG>' : ''}[2026-09-14 11:47:58.${Math.floor(r() * 999)}] [PID 1] [TID 2] [EXTMGR] `;
  const words = ['level=info', 'level=debug', 'msg="x"', 'Status=500', 'Component=himds', '[INFO]', 'ok', 'time="', '[2026-09-14 11:47:58]', '\t', ' '];
  const piece = (): string => {
    const l = pick(r, literals);
    return r() < 0.15 ? l : r() < 0.5 ? l.slice(0, 1 + Math.floor(r() * (l.length - 1))) : pick(r, words);
  };
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = r();
    const body = Array.from({ length: 1 + Math.floor(r() * 5) }, piece).join(pick(r, [' ', '', '  ']));
    lines.push(k < 0.7 ? head() + body : k < 0.8 ? '' : k < 0.9 ? `  ${body}` : body);
  }
  const eol = r() < 0.5 ? '\n' : '\r\n';
  return lines.join(eol) + (r() < 0.8 ? eol : '');
}

describe('records read in the module (scanRecords): the scanner\'s records, candidates and lines', () => {
  for (const [name, g, shape] of [['agent', logrusText, 'logrus'], ['GuestConfig', gcBracket, 'gc']] as const) {
    it(`finds the ${name} candidates the regex finds, with their bounds, lines and line breaks (random text)`, () => {
      const r = prng(name.length * 7919);
      const keys = ByteKeys.create<Plan>()!;
      assert.ok(keys.prepare(shape, unionLiterals(g.candidates)));
      let found = 0;
      for (let n = 0; n < 300; n++) {
        const text = randomScanText(r, g, 1 + Math.floor(r() * 60));
        const expected = regexCandidates(g, text);
        const got = moduleCandidates(keys, shape, text);
        assert.deepEqual(got.records, expected, JSON.stringify(text));
        assert.equal(got.line, 1 + text.split('\n').length - 1);
        found += expected.length;
        // Read up to a line that starts a record, as the scanner reads a block without its last record.
        const starts = [...text.matchAll(/\n/g)].map((m) => m.index + 1).filter((i) => i < text.length && g.startsRecord(text, i));
        if (starts.length > 0) {
          const to = pick(r, starts);
          const head = text.slice(0, to);
          const part = moduleCandidates(keys, shape, text, to);
          assert.deepEqual(part.records, regexCandidates(g, head), JSON.stringify(text));
          assert.equal(part.line, 1 + head.split('\n').length - 1);
        }
      }
      assert.ok(found > 1000, `candidates ${found}`);
    });
  }

  it('looks for an agent record\'s level word on its first line only', () => {
    const keys = ByteKeys.create<Plan>()!;
    assert.ok(keys.prepare('logrus', unionLiterals(logrusText.candidates)));
    // The first record ends 19 characters in; the second's `level=w` is 28 characters from the first's start.
    const text = 'time="2026" a=bc d\ntime="x" level=warning msg="m"\n';
    assert.equal(text.indexOf('level=w'), 28);
    assert.deepEqual(moduleCandidates(keys, 'logrus', text).records.map((c) => c.start), [19]);
    assert.deepEqual(regexCandidates(logrusText, text).map((c) => c.start), [19]);
  });

  it('counts the records whose plans say nothing, and hands over those whose time it is not sure of (GuestConfig)', () => {
    for (const quiet of [1, 2] as const) {
      const keys = ByteKeys.create<Plan>(() => quiet)!;
      assert.ok(keys.prepare('gc', unionLiterals(gcBracket.candidates)));
      const record = (time: string): string => `[${time}] [PID 1] [TID 2] [EXTMGR] [WARNING] Timer callback took 5 ms; Version unchanged`;
      const first = record('2025-02-07 11:47:58.101');
      assert.ok(keys.load(first));
      assert.equal(keys.lookup('gc', 0, first.length), -1);
      keys.remember(NOTHING);
      const times = ['2025-02-07 11:47:58', '2025-02-28 23:59:59.5', '2025-02-29 00:00:00', '2025-13-01 00:00:00', '2025-00-01 00:00:00', '2025-02-00 00:00:00', '2025-02-07 24:00:00', '2025-02-07 11:60:00', '2025-02-07 11:47:60', '2025-12-01 00:00:00,5'];
      const sure = [true, true, false, false, false, false, false, false, false, true];
      const text = times.map((t) => `${record(t)}\n`).join('');
      assert.ok(keys.load(text));
      const n = keys.scan('gc', 0, text.length, 1);
      const out = keys.out();
      const handed = Array.from({ length: n }, (_, i) => out[(i + 1) * ENTRY_WORDS + ENTRY.line]! - 1);
      assert.deepEqual(handed, times.flatMap((_t, i) => (sure[i] ? [] : [i])));
      for (let i = 0; i < n; i++) assert.equal(out[(i + 1) * ENTRY_WORDS + ENTRY.id], 0);
      // Before the first entry, the two sure times; after the last, the last one.
      assert.deepEqual([out[ENTRY_WORDS + ENTRY.quietA], out[ENTRY_WORDS + ENTRY.quietB]], quiet === 1 ? [2, 0] : [0, 2]);
      assert.equal(out[ENTRY_WORDS + ENTRY.quietLast], text.indexOf(times[1]!) - 1);
      assert.deepEqual([out[HEAD.quietA]! + out[HEAD.quietB]!, out[HEAD.quietLast], out[HEAD.next], out[HEAD.line]], [1, text.lastIndexOf('['.concat(times[9]!)), text.length, times.length + 1]);
    }
  });

  it('takes no literals it cannot find (shorter than four characters, not ASCII) and no agent ones without the level words', () => {
    assert.equal(ByteKeys.create<Plan>()!.prepare('gc', ['abc', 'abcd']), false);
    assert.equal(ByteKeys.create<Plan>()!.prepare('gc', ['caf\u00e9']), false);
    assert.equal(ByteKeys.create<Plan>()!.prepare('gc', undefined), false);
    assert.equal(ByteKeys.create<Plan>()!.prepare('logrus', ['AZCM', 'level=w']), false);
    assert.equal(ByteKeys.create<Plan>()!.prepare('logrus', ['AZCM', 'level=w', 'level=e', 'level=f', 'level=p']), true);
  });

  it('gives the same facts as the scanner\'s own loop and as the reading keys alone (random agent logs: quiet runs, full tables, a memo given up)', () => {
    for (const seed of [11, 12]) {
      const r = prng(seed * 7717);
      const lines: string[] = [];
      for (let i = 0; i < 14_000; i++) {
        const t = new Date(Date.UTC(2026, 8, 14) + i * 700).toISOString().replace(/\.\d+Z$/, 'Z');
        const k = r();
        // Runs of records that say nothing (quiet), of records no candidate (sparse), unique records (full tables).
        if (k < 0.25) lines.push(`time="${t}" level=warning msg="Failed to send heartbeat, will retry" RequestId=${i}`);
        else if (k < 0.35) lines.push(`time="${t}" level=info msg="Available memory checked" Duration=${i}ms`);
        else if (k < 0.5) lines.push(`time="${t}" level=info msg="Processing request" Component=himds RequestId=${i}`);
        else if (k < 0.6) lines.push(`time="${t}" level=warning msg="Slow response ${i % 5000}" RequestId=${i}`);
        else if (k < 0.62) lines.push(`  continued ${pick(r, ['Status=200', 'AZCM0042', 'x'])}`);
        else lines.push(mostlyAsciiLogLine(r, i));
      }
      for (const eol of ['\n', '\r\n']) {
        const text = lines.join(eol) + eol;
        const inModule = readLog('himds.log', text, true);
        assert.deepEqual(inModule, readLog('himds.log', text, true, false), `seed ${seed}`);
        assert.deepEqual(inModule, readLog('himds.log', text, false), `seed ${seed}`);
        // Tables that fill many times over (and a memo's plans emptied when the byte keys are not).
        assert.deepEqual(readLog('himds.log', text, true, true, 500), inModule, `seed ${seed}, small tables`);
        assert.ok(inModule.observations.length > 5 && inModule.summary.records > 8000);
      }
    }
    // A file whose records rarely repeat gives its memo up (and with it the byte keys) part way through a block.
    const unique = Array.from({ length: 5000 }, (_, i) => `time="2026-09-14T00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z" level=info msg="Agent version 1.${i}.0"`);
    const text = `${unique.join('\n')}\n`;
    assert.deepEqual(readLog('himds.log', text, true), readLog('himds.log', text, true, false));
  });

  it('gives the same facts as the scanner\'s own loop for GuestConfig logs, times the module is not sure of included', () => {
    const r = prng(6161);
    const messages = Array.from({ length: 40 }, () => randomGcMessage(r));
    const times = ['2025-02-07 11:47:58.101', '2025-02-29 11:47:59.5', '2025-02-31 11:48:00', '2025-13-07 11:48:00', '2025-02-07 23:59:60', '2025-02-07 11:48:00,25'];
    const lines = Array.from({ length: 8000 }, () => randomGcRecord(r, messages).replace(/^(<GCLOG>)?\[[^\]]+\]/, (_m, g?: string) => `${g ?? ''}[${pick(r, times)}]`));
    const text = `${lines.join('\n')}\n`;
    const inModule = readLog('gc_ext.log', text, true);
    assert.equal(inModule.summary.grammar, 'gc-bracket');
    assert.deepEqual(inModule, readLog('gc_ext.log', text, true, false));
    assert.deepEqual(inModule, readLog('gc_ext.log', text, false));
  });
});

/** The address-ish pieces random middles are made of: socket addresses (several of each length) and near misses. */
const ADDRESS_PIECES = [
  '20.50.101.41:443', '20.50.101.42:443', '20.51.177.12:443', '1.2.3.4:80', '1.2.3.5:80', '9.8.7.6:80', '10.20.30.40:80',
  '10.0.0.1:3128', '255.255.255.255:1', '255.1.1.1:443', '256.1.1.1:443', '256.1.1.2:443', '300.1.2.3:443', '01.2.3.4:5',
  '1.2.3.4.5:6', '1234.1.1.1:2', '1.2.3:4', '1.2.3.4:x', '1.2.3.4', 'x1.2.3.4:5', 'x1.2.3.5:5', '_1.2.3.4:5', '_9.8.7.6:5',
  '-1.2.3.4:5', '169.254.169.254:80', '169.254.1.2:80', '169.254.1.3:80', '[1.2.3.4]:443', '1.2.3.4::5', ':443', 'a:1', '9',
  ':9', '.',
];
const ADDRESS_FRAMES = ['dial tcp ', ' and ', ': i/o timeout ', '(', '\\"', ''];

function randomAddressMiddle(r: () => number): string {
  let s = 'level=error msg="';
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) s += pick(r, ADDRESS_FRAMES) + pick(r, ADDRESS_PIECES);
  return `${s}"`;
}

describe('byte keys of records read alike but for their socket addresses', () => {
  const plan = (name: string): Plan => ({ steps: [], pure: true, addresses: true, name } as Plan);
  const remembered = (keys: ByteKeys<Plan>, record: string, p: Plan, ips: readonly string[]): void => {
    assert.equal(probe(keys, record).id, -1, record);
    keys.rememberAddresses(p, ips);
  };

  it('finds a middle that differs from a remembered one only in its addresses (same lengths), with the addresses it was decided for', () => {
    const keys = ByteKeys.create<Plan>()!;
    const p = plan('timeout');
    const record = `${T}level=error msg="Request failed" Error="dial tcp 20.50.101.41:443: i/o timeout" RequestId=1`;
    remembered(keys, record, p, ['20.50.101.41']);
    const other = probe(keys, `${T}level=error msg="Request failed" Error="dial tcp 20.50.177.12:443: i/o timeout" RequestId=2`);
    assert.ok(other.id >= 0);
    assert.equal(keys.plan(other.id), p);
    assert.deepEqual(keys.addressesOf(other.id), ['20.50.101.41']);
    // Another length, another port text, a word before it, link-local: not the same key.
    for (const ip of ['20.50.1.41:443', '20.50.101.41:8443', 'x20.50.101.41:443', '169.254.101.41:443']) {
      assert.equal(probe(keys, `${T}level=error msg="Request failed" Error="dial tcp ${ip}: i/o timeout" RequestId=3`).id, -1, ip);
    }
    // A plan of a record's own middle has no addresses to put in.
    keys.remember(plan('own'));
    assert.equal(keys.addressesOf(probe(keys, `${T}level=error msg="Request failed" Error="dial tcp 169.254.101.41:443: i/o timeout"`).id), undefined);
  });

  it('remembers nothing for a middle without addresses, one too long, or a GuestConfig record', () => {
    const keys = ByteKeys.create<Plan>()!;
    const none = `${T}level=error msg="no address 1.2.3.4 here" RequestId=1`;
    remembered(keys, none, plan('a'), []);
    assert.equal(probe(keys, none).id, -1);
    const long = `${T}level=error msg="dial tcp 1.2.3.4:443 ${'x'.repeat(300)}"`;
    remembered(keys, long, plan('b'), ['1.2.3.4']);
    assert.equal(probe(keys, long.replace('1.2.3.4', '1.2.3.5')).id, -1);
    // An IP at the very end of a record: what follows it in memory (here the rest of a longer text) is not its port.
    const longer = `${T}level=error msg=x 1.2.3.4:80`;
    assert.ok(keys.load(longer));
    assert.equal(keys.lookup('logrus', 0, longer.length - 2), -1);
    keys.rememberAddresses(plan('end'), ['1.2.3.4']);
    assert.ok(keys.load(longer.replace('1.2.3.4', '1.2.3.5')));
    assert.equal(keys.lookup('logrus', 0, longer.length - 2), -1);
    const gc = '[2026-09-14 11:47:58.101] [PID 1] [TID 2] [EXTMGR] [ERROR] dial tcp 1.2.3.4:443: i/o timeout';
    assert.equal(probe(keys, gc, 'gc').id, -1);
    keys.rememberAddresses(plan('c'), ['1.2.3.4']);
    assert.equal(probe(keys, gc.replace('1.2.3.4', '1.2.3.5'), 'gc').id, -1);
    // Nothing was kept at all: no id was given.
    assert.equal(keys.addressesOf(0), undefined);
  });

  it('blanks the addresses the interpreter blanks (socketAddresses on the reading key): every piece against every other, and random middles', () => {
    const r = prng(4242);
    // Every piece alone in every frame, every two pieces side by side, and random longer ones.
    const singles = ADDRESS_FRAMES.flatMap((f) => ADDRESS_PIECES.map((a) => `level=error msg="${f}${a} x"`));
    const pairs = ADDRESS_PIECES.flatMap((a) => ADDRESS_PIECES.map((b) => `level=error msg="dial tcp ${a} and ${b}"`));
    const middles = [...new Set([...singles, ...pairs, ...Array.from({ length: 2000 }, () => randomAddressMiddle(r))])];
    const blanked = (m: string): string | undefined => {
      const a = socketAddresses(readingKey(`${T}${m} RequestId=1`)!.key);
      return a && a.key;
    };
    // First middles: some of each kind, most with others read alike (the interpreter's blanked keys grouped).
    const groups = new Map<string, string[]>();
    const keyOf = new Map<string, string | undefined>();
    for (const m of middles) {
      const key = blanked(m);
      keyOf.set(m, key);
      if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), m]);
    }
    const shared = [...groups.values()].filter((g) => g.length > 1).map((g) => g[0]!);
    const firsts = [...singles, ...shared.filter((_, i) => i % 7 === 0)];
    let same = 0;
    for (let k = 0; k < firsts.length; k++) {
      const keys = ByteKeys.create<Plan>()!;
      const first = firsts[k]!;
      const key = keyOf.get(first);
      const p = plan(`p${k}`);
      remembered(keys, `${T}${first} RequestId=1`, p, ['x']);
      for (const m of middles) {
        const found = probe(keys, `${T}${m} RequestId=2`).id;
        const expected = key !== undefined && keyOf.get(m) === key && m !== first;
        // The middle itself was not remembered: found only as read alike but for its addresses.
        assert.equal(found >= 0 && keys.plan(found) === p && m !== first, expected, `${first} / ${m}`);
        if (expected) same++;
      }
    }
    assert.ok(same > 100, `only ${same} pairs read alike`);
  });

  it('give the same facts as the reading keys alone on logs whose agent dials other addresses on each retry', () => {
    let viaAddresses = 0;
    const original = ByteKeys.prototype.addressesOf;
    ByteKeys.prototype.addressesOf = function (id: number) {
      const ips = original.call(this, id);
      if (ips) viaAddresses++;
      return ips;
    };
    try {
      for (const seed of [5, 6]) {
        const r = prng(seed * 1301);
        const lines = Array.from({ length: 6000 }, (_, i) => {
          const t = new Date(Date.UTC(2026, 8, 14) + i * 900).toISOString().replace(/\.\d+Z$/, 'Z');
          const host = pick(r, ['gbl.his.arc.azure.com', 'management.azure.com']);
          const ip = `20.${pick(r, [50, 51])}.${100 + Math.floor(r() * 20)}.${10 + Math.floor(r() * 80)}`;
          const k = r();
          // First a plan decided for one address twice, then records with two different ones: no substitution.
          if (i < 300) {
            const twice = i % 3 < 2 ? ip : '20.50.100.10';
            return `time="${t}" level=error msg="Request failed" Error="Get \\"https://${host}/x\\": dial tcp ${ip}:443 then ${i < 2 ? ip : twice}:443: i/o timeout" Endpoint="https://${host}" RequestId=${i}`;
          }
          if (k < 0.4) return `time="${t}" level=error msg="Request failed" Error="Get \\"https://${host}/x\\": dial tcp ${ip}:443: i/o timeout" Endpoint="https://${host}" RequestId=${i}`;
          if (k < 0.5) return `time="${t}" level=error msg="Request failed" Error="dial tcp ${ip}:443: connect: connection refused (${ip})" RequestId=${i}`;
          if (k < 0.6) return `time="${t}" level=error msg="Request failed" Error="dial tcp ${ip}:443 and ${pick(r, [ip, '20.50.100.10'])}:443: i/o timeout" RequestId=${i}`;
          if (k < 0.65) return `time="${t}" level=error msg="Request failed" Error="dial tcp ${ip}:443: i/o timeout" Peer=${ip}:443 RequestId=${i}`;
          // Endpoints named by their addresses: the facts state them (a plan replayed with the record's own).
          const other = pick(r, [ip, '20.50.100.10', '20.50.100.11']);
          if (k < 0.8) return `time="${t}" level=error msg="Request failed" Error="Get \\"https://${ip}:443/x\\": dial tcp ${other}:443: i/o timeout" Endpoint="https://${other}:443" RequestId=${i}`;
          return mostlyAsciiLogLine(r, i);
        });
        const text = `${lines.join('\n')}\n`;
        const inModule = readLog('himds.log', text, true);
        assert.deepEqual(inModule, readLog('himds.log', text, true, false), `seed ${seed}`);
        assert.deepEqual(inModule, readLog('himds.log', text, false), `seed ${seed}`);
        assert.ok(inModule.observations.length > 3);
      }
    } finally {
      ByteKeys.prototype.addressesOf = original;
    }
    assert.ok(viaAddresses > 1000, `only ${viaAddresses} records found with other addresses`);
  });
});

describe('byte keys: middles whose hashes collide', () => {
  // Middles of one length that differ only in one part of the bytes compared: the blocks of sixteen, the eight after
  // them, the bytes after those.
  const letters = (r: () => number, n: number): string => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(r() * 26))).join('');
  const parts: Array<[string, (r: () => number) => string]> = [
    ['in the blocks of sixteen', (r) => `msg="${letters(r, 27)}xxxxxxx"`],
    ['in the eight after them', (r) => `msg="${'y'.repeat(27)}${letters(r, 7)}"`],
    ['in the last bytes', (r) => `msg="${'y'.repeat(27)}zzzzzzzz${letters(r, 4)}"`],
  ];
  for (const [where, make] of parts) {
    it(`are told apart by their bytes: a colliding pair that differs ${where}`, () => {
      const keys = ByteKeys.create<Plan>()!;
      const r = prng(where.length * 7919);
      const seen = new Map<number, string>();
      let pair: [string, string] | undefined;
      for (let i = 0; i < 400_000 && !pair; i++) {
        const record = `${T}${make(r)}`;
        assert.ok(keys.load(record));
        const h = keys.hashOf(MIDDLE_START, record.length);
        const other = seen.get(h);
        if (other !== undefined && other !== record) pair = [other, record];
        else seen.set(h, record);
      }
      assert.ok(pair, 'no collision found');
      const [a, b] = pair;
      const table = ByteKeys.create<Plan>()!;
      const pa: Plan = { steps: [], pure: true, addresses: false };
      assert.equal(probe(table, a).id, -1);
      table.remember(pa);
      assert.equal(table.plan(probe(table, a).id), pa);
      // Same hash, same length, other bytes: not found.
      assert.equal(probe(table, b).id, -1, `${a} / ${b}`);
    });
  }
});
