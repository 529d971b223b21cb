import { strict as assert } from 'node:assert';
import { logrusConsole, logrusTerminal, logrusText, parseLogrusRecord, parsePairs, readQuoted } from './logrus';
import { gcBracket } from './gc-bracket';
import { plainText } from './plain';
import { detectGrammar } from './log-file';

describe('logrus text format', () => {
  it('reads time, level, msg and fields, with keys containing spaces and Go-quoted values', () => {
    const line = 'time="2025-06-03T09:07:19-05:00" level=error msg="Regional Service Discovery" Error="Get \\"https://gbl.his.arc.azure.com/discovery?location=northeurope\\": proxyconnect tcp: dial tcp 10.20.30.40:3128: i/o timeout" Proxy Status="proxy set via config command" Request URL="https://gbl.his.arc.azure.com/discovery?location=northeurope"';
    const r = logrusText.parse(line)!;
    assert.equal(r.time, '2025-06-03T14:07:19.000Z');
    assert.equal(r.level, 'error');
    assert.equal(r.msg, 'Regional Service Discovery');
    assert.deepEqual(r.fields, {
      Error: 'Get "https://gbl.his.arc.azure.com/discovery?location=northeurope": proxyconnect tcp: dial tcp 10.20.30.40:3128: i/o timeout',
      'Proxy Status': 'proxy set via config command',
      'Request URL': 'https://gbl.his.arc.azure.com/discovery?location=northeurope',
    });
  });

  it('keeps a raw newline inside a quoted value (a record over two physical lines)', () => {
    const rec = 'time="2025-06-03T14:08:02Z" level=error msg="Connectivity test failed" Error="dial tcp 10.20.30.41:443: connectex: A connection attempt failed because the connected party did not properly respond\n after a period of time." Endpoint="https://login.microsoftonline.com"';
    const r = logrusText.parse(rec)!;
    assert.equal(r.fields.Endpoint, 'https://login.microsoftonline.com');
    assert.match(r.fields.Error!, /respond\n after a period of time\.$/);
  });

  it('unescapes \\n, \\t, \\" and \\\\ and survives an unterminated quote', () => {
    assert.deepEqual(readQuoted('"a\\"b\\\\c\\nd\\te" rest', 0), { value: 'a"b\\c\nd\te', end: 15 });
    assert.deepEqual(readQuoted('"cut off', 0), { value: 'cut off', end: 8 });
    const r = logrusText.parse('time="2025-06-03T14:08:02Z" level=error msg="truncated record with x509: certificate signed by unkn')!;
    assert.equal(r.level, 'error');
    assert.match(r.msg, /x509: certificate signed by unkn$/);
  });

  it('bare values, numbers and booleans; stops at something that is not a pair', () => {
    assert.deepEqual(parsePairs('a=1 b=true c="x y" -- garbage'), [['a', '1'], ['b', 'true'], ['c', 'x y']]);
    assert.deepEqual(parsePairs('no pairs here'), []);
    assert.equal(logrusText.parse('just words'), undefined);
  });

  it('normalizes levels and zone offsets; a bad time is left out', () => {
    assert.equal(logrusText.parse('time="2025-06-03T14:07:12.123456+02:00" level=warning msg="x"')!.time, '2025-06-03T12:07:12.123Z');
    assert.equal(logrusText.parse('time="2025-06-03T14:07:12Z" level=warn msg="x"')!.level, 'warning');
    assert.equal(logrusText.parse('time="yesterday" level=info msg="x"')!.time, undefined);
  });

  it('starts records only at time="', () => {
    assert.equal(logrusText.startsRecord('x\ntime="2025', 2), true);
    assert.equal(logrusText.startsRecord(' after a period of time."', 0), false);
  });
});

describe('logrus terminal and console formats', () => {
  it('terminal: level, elapsed or full timestamp, padded message, then pairs (ANSI colors removed)', () => {
    const r = logrusTerminal.parse('\u001b[31mERRO\u001b[0m[0002] Failed to connect                            Error="dial tcp: lookup gbl.his.arc.azure.com: no such host" Endpoint="https://gbl.his.arc.azure.com"')!;
    assert.equal(r.level, 'error');
    assert.equal(r.time, undefined);
    assert.equal(r.msg, 'Failed to connect');
    assert.equal(r.fields.Endpoint, 'https://gbl.his.arc.azure.com');
    const t = logrusTerminal.parse('INFO[2025-06-03T14:07:12Z] Agent version 1.45.02669.1635')!;
    assert.deepEqual([t.level, t.time, t.msg], ['info', '2025-06-03T14:07:12.000Z', 'Agent version 1.45.02669.1635']);
  });

  it('console: `INFO    Exit Code:  AZCM0043: Failed to Delete Resource`', () => {
    const r = logrusConsole.parse('INFO    Exit Code:  AZCM0043: Failed to Delete Resource')!;
    assert.deepEqual([r.level, r.msg], ['info', 'Exit Code:  AZCM0043: Failed to Delete Resource']);
    assert.equal(logrusConsole.parse('INFO: one space'), undefined);
    assert.equal(parseLogrusRecord('ERROR   boom')!.level, 'error');
  });
});

describe('GuestConfig bracket format', () => {
  it('reads components with spaces, the level, the activity id and the message; <GCLOG> is optional', () => {
    const r = gcBracket.parse('<GCLOG>[2025-02-07 11:48:02.514] [PID 5120] [TID 6644] [Pull Client] [ERROR] [3f9d6b2e-8c41-4e0a-9b7d-12ab34cd56ef] Download of extension package failed: no such host</GCLOG>')!;
    assert.deepEqual([r.time, r.level, r.component, r.msg], ['2025-02-07T11:48:02.514Z', 'error', 'Pull Client', 'Download of extension package failed: no such host']);
    assert.equal(r.fields.ActivityId, '3f9d6b2e-8c41-4e0a-9b7d-12ab34cd56ef');
    const plain = gcBracket.parse('[2025-02-07 11:47:58.101] [PID 5120] [TID 6644] [TELEMETRY Timer Manager] [INFO] [00000000-0000-0000-0000-000000000000] tick')!;
    assert.equal(plain.component, 'TELEMETRY Timer Manager');
  });

  it('a record may continue on following lines (a stack trace); malformed lines are not records', () => {
    const r = gcBracket.parse('[2025-02-07 11:47:58.101] [PID 1] [TID 2] [EXTMGR] [ERROR] [3f9d6b2e-8c41-4e0a-9b7d-12ab34cd56ef] Failed\n   at Foo.Bar()')!;
    assert.match(r.msg, /Failed\n {3}at Foo\.Bar\(\)$/);
    assert.equal(gcBracket.parse('[2025-02-07] not a record'), undefined);
    assert.equal(gcBracket.startsRecord('   at Foo', 0), false);
  });
});

describe('grammar detection and free text', () => {
  it('picks the grammar most first lines follow', () => {
    assert.equal(detectGrammar('time="2025-06-03T14:07:12Z" level=info msg="a"\ntime="2025-06-03T14:07:13Z" level=info msg="b"\n').id, 'logrus');
    assert.equal(detectGrammar('[2025-02-07 11:47:58.101] [PID 5120] [TID 6644] [EXTMGR] [INFO] [00000000-0000-0000-0000-000000000000] x\n').id, 'gc-bracket');
    assert.equal(detectGrammar('INFO    Connecting\nERROR   Exit Code:  AZCM0026: Network Error\n').id, 'logrus-console');
    assert.equal(detectGrammar('Hello,\nthe customer says WAC does not open.\n').id, 'plain');
  });

  it('free text: a leading time and level are read, a pasted logrus line inside is parsed', () => {
    const a = plainText.parse('2026-09-14 08:31:00.512 [Error] GET https://wac.azure.com/ failed: x509: certificate signed by unknown authority')!;
    assert.deepEqual([a.time, a.level, a.msg], ['2026-09-14T08:31:00.512Z', 'error', 'GET https://wac.azure.com/ failed: x509: certificate signed by unknown authority']);
    const b = plainText.parse('PS C:\\> time="2025-06-03T14:07:12Z" level=debug msg="retry" Error="i/o timeout"')!;
    assert.deepEqual([b.level, b.msg, b.fields.Error], ['debug', 'retry', 'i/o timeout']);
    assert.equal(plainText.parse('no level here')!.level, undefined);
  });
});
