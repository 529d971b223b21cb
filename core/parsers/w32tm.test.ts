import { strict as assert } from 'node:assert';
import { w32tmParser as parser } from './w32tm';
import { detectParser } from '../sources/pasted';
import { ParseError } from './parser';
import { decodeText } from '../text/text-input';
import { observationRows, pastedInput, powerShellUtf16 } from '../../test/support/testing';

const STATUS_VERBOSE = [
  'PS C:\\> w32tm /query /status /verbose',
  'Leap Indicator: 0(no warning)',
  'Stratum: 4 (secondary reference - syncd by (S)NTP)',
  'Precision: -23 (119.209ns per tick)',
  'Root Delay: 0.0312500s',
  'Root Dispersion: 7.7752037s',
  'ReferenceId: 0x0A000001 (source IP:  10.0.0.1)',
  'Last Successful Sync Time: 11/26/2026 8:01:02 AM',
  'Source: dc01.corp.contoso.com',
  'Poll Interval: 10 (1024s)',
  '',
  'Phase Offset: -0.0004521s',
  'ClockRate: 0.0156250s',
  'State Machine: 2 (Sync)',
  'Time Source Flags: 2 (Authenticated )',
  '',
].join('\r\n');

const STRIPCHART = [
  'PS C:\\> w32tm /stripchart /computer:time.windows.com /samples:3',
  'Tracking time.windows.com [40.119.6.228:123].',
  'Collecting 3 samples.',
  'The current time is 11/26/2026 8:10:12 AM.',
  '08:10:12, d:+00.0312500s o:-183.2345678s  [                           *  |                           ]',
  '08:10:14, error: 0x800705B4',
  '08:10:16, d:+00.0312500s o:-183.1999876s  [                           *  |                           ]',
  '08:10:18, d:+00.0312500s o:-183.3012345s  [                           *  |                           ]',
  '',
].join('\n');

describe('w32tm parser', () => {
  it('reads w32tm /query /status /verbose: Phase Offset and Source', () => {
    const text = decodeText(Buffer.from(STATUS_VERBOSE), 's.txt');
    assert.equal(detectParser(text), parser);
    assert.deepEqual(observationRows(parser.parse(text, pastedInput('s.txt'))), [['clock', { offsetSeconds: -0.0004521, source: 'dc01.corp.contoso.com' }, 12]]);
  });

  it('reads the same from UTF-16LE with a BOM and without one', () => {
    for (const buf of [powerShellUtf16(STATUS_VERBOSE.replace(/\r\n/g, '\n')), Buffer.from(STATUS_VERBOSE, 'utf16le')]) {
      const text = decodeText(buf, 's.txt');
      assert.equal(detectParser(text), parser);
      assert.equal((parser.parse(text, pastedInput('s.txt')).observations[0]!.value as { offsetSeconds: number }).offsetSeconds, -0.0004521);
    }
  });

  it('reads an unsynchronized clock (Local CMOS Clock) and a stopped Windows Time service', () => {
    const cmos = 'Leap Indicator: 3(not synchronized)\nStratum: 0 (unspecified)\nLast Successful Sync Time: unspecified\nSource: Local CMOS Clock\nPoll Interval: 6 (64s)\n';
    assert.equal(detectParser(cmos), parser);
    assert.deepEqual(observationRows(parser.parse(cmos, pastedInput('c.txt'))), [['clock', { source: 'Local CMOS Clock', unsynchronized: true }, 4]]);
    const flags = parser.parse('Stratum: 3\nSource: time.windows.com,0x9\n', pastedInput('f.txt'));
    assert.deepEqual(flags.observations[0]!.value, { source: 'time.windows.com' });
    const stopped = 'PS C:\\> w32tm /query /status\nThe following error occurred: The service has not been started. (0x80070426)\n';
    assert.equal(detectParser(stopped), parser);
    assert.deepEqual(parser.parse(stopped, pastedInput('x.txt')).observations[0]!.value, { unsynchronized: true, source: 'the Windows Time service is not running' });
  });

  it('reads w32tm /stripchart: the median offset of the samples, failed samples as a warning; and /dataonly', () => {
    assert.equal(detectParser(STRIPCHART), parser);
    const r = parser.parse(STRIPCHART, pastedInput('sc.txt'));
    assert.deepEqual(observationRows(r), [['clock', { offsetSeconds: -183.2345678, source: 'time.windows.com' }, 5]]);
    assert.deepEqual(r.warnings, ['1 sample failed']);
    const dataonly = 'Tracking time.windows.com [40.119.6.228:123].\nCollecting 2 samples.\nThe current time is 11/26/2026 8:10:12 AM.\n08:10:12, +00.0123456s\n08:10:14, +00.0119876s\n';
    assert.deepEqual(parser.parse(dataonly, pastedInput('d.txt')).observations[0]!.value, { offsetSeconds: (0.0123456 + 0.0119876) / 2, source: 'time.windows.com' });
  });

  it('refuses malformed input: a stripchart without a good sample, status lines without Source or offset', () => {
    assert.throws(() => parser.parse('Tracking time.windows.com [40.119.6.228:123].\nCollecting 2 samples.\n08:10:12, error: 0x800705B4\n', pastedInput('x.txt')), /without a successful sample \(1 error/);
    assert.throws(() => parser.parse('Leap Indicator: 0(no warning)\nStratum: 4\n', pastedInput('x.txt')), ParseError);
    assert.equal(parser.detect('Status : Running\nName : W32Time\n'), 0);
  });

  it('runs in linear time on long hostile lines', () => {
    const start = Date.now();
    parser.detect(`Stratum: 1\nSource:${' '.repeat(200_000)}x\nPhase Offset: ${'1'.repeat(100_000)}`);
    assert.throws(() => parser.parse(`Tracking x [\n08:10:12, d:+${'0'.repeat(100_000)}`, pastedInput('x.txt')), ParseError);
    assert.ok(Date.now() - start < 1000);
  });
});
