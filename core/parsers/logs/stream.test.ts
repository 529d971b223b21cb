import { strict as assert } from 'node:assert';
import { BlockSplitter } from './blocks';
import { StreamDecoder, sniffEncoding } from './decode';
import { RecordScanner } from './scanner';
import { logrusText } from './logrus';
import type { LogRecord } from './record';

/** Collects lines (with numbers) out of the blocks a splitter emits. */
function lines(chunks: string[], max?: number): { lines: Array<[number, string]>; splitter: BlockSplitter } {
  const out: Array<[number, string]> = [];
  const splitter = new BlockSplitter({
    block(text, first) {
      text.slice(0, -1).split('\n').forEach((l, i) => out.push([first + i, l]));
    },
  }, max);
  for (const c of chunks) splitter.push(c);
  splitter.end();
  return { lines: out, splitter };
}

describe('BlockSplitter', () => {
  it('keeps line numbers across chunk boundaries, CRLF included, and flushes a last line without newline', () => {
    assert.deepEqual(lines(['one\r\ntw', 'o\r\n', 'thr', 'ee']).lines, [[1, 'one\r'], [2, 'two\r'], [3, 'three']]);
    assert.deepEqual(lines(['\n\n', 'x\n']).lines, [[1, ''], [2, ''], [3, 'x']]);
  });

  it('cuts a line longer than the cap, drops the rest of it, and counts it once', () => {
    const { lines: got, splitter } = lines(['head\n', 'a'.repeat(25), 'b'.repeat(25), 'c'.repeat(25), '\nnext\n'], 30);
    assert.deepEqual(got, [[1, 'head'], [2, 'a'.repeat(25) + 'b'.repeat(5)], [3, 'next']]);
    assert.equal(splitter.truncatedLines, 1);
    assert.deepEqual(splitter.truncatedAt, [2]);
  });

  it('cuts an over-long line that arrives whole inside one chunk', () => {
    const { lines: got, splitter } = lines([`a\n${'x'.repeat(50)}\nb\n`], 10);
    assert.deepEqual(got, [[1, 'a'], [2, 'x'.repeat(10)], [3, 'b']]);
    assert.equal(splitter.truncatedLines, 1);
  });
});

describe('StreamDecoder', () => {
  const text = 'time="2025-06-03T14:07:12Z" level=info msg="Ünïcode ok"\n'.repeat(20);
  const feed = (buf: Buffer, step: number): { text: string; binary: boolean } => {
    const d = new StreamDecoder();
    let out = '';
    for (let i = 0; i < buf.length; i += step) out += d.push(buf.subarray(i, i + step));
    out += d.end();
    return { text: out, binary: d.binary };
  };

  it('decodes UTF-8 (BOM or not), UTF-16 LE/BE with BOM and BOM-less UTF-16 LE, split at any byte', () => {
    for (const step of [1, 3, 7, 1000]) {
      assert.equal(feed(Buffer.from(text), step).text, text);
      assert.equal(feed(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), step).text, text);
      assert.equal(feed(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), step).text, text);
      assert.equal(feed(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), step).text, text);
      assert.equal(feed(Buffer.from(text, 'utf16le'), step).text, text);
    }
    assert.equal(sniffEncoding(Buffer.from('ab')).encoding, 'utf8');
  });

  it('invalid UTF-8 becomes U+FFFD; binary data is flagged', () => {
    const r = feed(Buffer.from([0x61, 0xc3, 0x28, 0x0a, 0x62, 0x0a]), 2);
    assert.equal(r.text, 'a\ufffd(\nb\n');
    assert.equal(r.binary, false);
    assert.equal(feed(Buffer.from(Array.from({ length: 2048 }, (_, i) => i % 256)), 512).binary, true);
  });
});

describe('RecordScanner', () => {
  const run = (chunks: string[]): { records: Array<[number, LogRecord]>; scanner: RecordScanner } => {
    const records: Array<[number, LogRecord]> = [];
    const scanner = new RecordScanner(logrusText, { record: (rec, _raw, line) => records.push([line, rec]) });
    const splitter = new BlockSplitter(scanner);
    for (const c of chunks) splitter.push(c);
    splitter.end();
    scanner.end();
    return { records, scanner };
  };

  it('parses only candidate records, with the right start line, across blocks and continuation lines', () => {
    const log = [
      'time="2025-06-03T14:00:00Z" level=info msg="boring"',
      'time="2025-06-03T14:00:01Z" level=error msg="first line',
      'second line" Endpoint="https://pas.windows.net"',
      'time="2025-06-03T14:00:02Z" level=info msg="boring again"',
      'time="2025-06-03T14:00:03Z" level=info msg="Agent version 1.45.02669.1635"',
      '',
    ].join('\n');
    for (const cut of [1, 40, 60, 100, 130, log.length - 3]) {
      const { records, scanner } = run([log.slice(0, cut), log.slice(cut)]);
      assert.deepEqual(records.map(([line, r]) => [line, r.msg]), [[2, 'first line\nsecond line'], [5, 'Agent version 1.45.02669.1635']], `cut at ${cut}`);
      assert.equal(records[0]![1].fields.Endpoint, 'https://pas.windows.net');
      assert.equal(scanner.firstTime, '2025-06-03T14:00:00.000Z');
      assert.equal(scanner.lastTime, '2025-06-03T14:00:03.000Z');
    }
  });

  it('numbers a record from its first line when its only candidate is on a continuation line, and the records after it', () => {
    const log = [
      'time="2025-06-03T14:00:00Z" level=info msg="boring"',
      'time="2025-06-03T14:00:01Z" level=info msg="wrapped',
      'again',
      'and the Agent version 1.45.02669.1635 here"',
      'time="2025-06-03T14:00:02Z" level=info msg="boring again"',
      'time="2025-06-03T14:00:03Z" level=error msg="later"',
      '',
    ].join('\n');
    for (const cut of [1, 60, 90, log.length - 3]) {
      const { records } = run([log.slice(0, cut), log.slice(cut)]);
      assert.deepEqual(records.map(([line, r]) => [line, r.msg.slice(0, 7)]), [[2, 'wrapped'], [6, 'later']], `cut at ${cut}`);
    }
  });
});
