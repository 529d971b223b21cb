import { strict as assert } from 'node:assert';
import { continuesListValue, indentOf, listValueColumn, wrappedValue } from './list-wrap';
import { scanLogText } from './logs';
import { plainText } from './logs/plain';

/** Offsets of each line's start in `s`. */
function lineStarts(s: string): number[] {
  const out = [0];
  for (let i = s.indexOf('\n'); i >= 0 && i + 1 < s.length; i = s.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** continuesListValue for every line of `s`, as 0/1 (the first line: 0). */
function continuations(s: string): number[] {
  return lineStarts(s).map((i) => (continuesListValue(s, i) ? 1 : 0));
}

const line = (s: string): number => listValueColumn(s, 0, s.length);

describe('list-wrap: values PowerShell wraps at their column', () => {
  it('listValueColumn reads `Key<pad> : value` and nothing else', () => {
    assert.equal(line('Message      : The signing certificate'), 15);
    assert.equal(line('Agent Error Details                     : AZCM0041'), 42);
    assert.equal(line('PingReplyDetails (RTT) : 0 ms'), 25);
    assert.equal(line('Id : 0\r'), 5);
    // Malformed: no space before the colon, no space after, an empty value, a key that is not a key, too long, indented.
    for (const bad of ['WARNING: TCP connect failed', 'Key :value', 'Key : ', 'Key :', 'Key :  two spaces', 'Key : \tx', '1Key : v',
      'Key/Path : v', `${'K'.repeat(90)} : v`, '  Key : v', '', ':', 'Key']) {
      assert.equal(line(bad), -1, JSON.stringify(bad));
    }
  });

  it('indentOf counts leading spaces before text; blank, tab-led and space-only lines have none', () => {
    assert.equal(indentOf('   x', 0, 4), 3);
    assert.equal(indentOf('x', 0, 1), 0);
    for (const s of ['    ', '  \tx', '   \r', '']) assert.equal(indentOf(s, 0, s.length), -1, JSON.stringify(s));
    assert.equal(indentOf(`${' '.repeat(200)}x`, 0, 201), -1);
  });

  it('a Get-WinEvent | Format-List message wrapped over three lines continues its record, at the exact column only', () => {
    const text = [
      'TimeCreated  : 11/3/2026 6:40:12 AM',
      'Message      : The signing certificate (thumbprint: 0A1B) for file',
      "               'C:\\Program Files\\x.dll' is",
      '               revoked.',
      '                 two more spaces: not this value',
      'Id           : 0',
      '',
    ].join('\n');
    assert.deepEqual(continuations(text), [0, 0, 1, 1, 0, 0]);
    // CRLF line ends read alike.
    assert.deepEqual(continuations(text.replace(/\n/g, '\r\n')), [0, 0, 1, 1, 0, 0]);
  });

  it('indented lines of other text are not continuations', () => {
    const text = [
      'Invoke-WebRequest : Unable to connect to the remote server',
      'At line:1 char:1',
      '+ Invoke-WebRequest https://pas.windows.net',
      '    + CategoryInfo          : InvalidOperation: (:) [Invoke-WebRequest], WebException',
      'Some prose here:',
      '    indented code',
      '    more code',
      'Key : v',
      '',
      '      after a blank line',
    ].join('\n');
    assert.deepEqual(continuations(text), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('looks back a bounded way: past 64 lines or 64 KiB it is not a continuation', () => {
    const wrapped = Array.from({ length: 70 }, () => '       more');
    const text = ['Name : value', ...wrapped].join('\n');
    const marks = continuations(text);
    assert.deepEqual(marks.slice(0, 65), [0, ...Array(64).fill(1)]);
    assert.ok(marks.slice(65).every((m) => m === 0), marks.slice(60).join(''));
    // A list line whose value is longer than the bound: the line after it is not searched back over it.
    const long = `Name : ${'x'.repeat(70 * 1024)}\n       more`;
    assert.equal(continuesListValue(long, long.lastIndexOf('\n') + 1), false);
    const short = `Name : ${'x'.repeat(1024)}\n       more`;
    assert.equal(continuesListValue(short, short.lastIndexOf('\n') + 1), true);
  });

  it('wrappedValue joins the continuation lines of a value with single spaces', () => {
    const lines = ['Agent Error Details : Failed to', '                      Tls dialing gbl.his.arc.azure.com:443\r', 'Cloud               : AzureCloud'];
    assert.deepEqual(wrappedValue(lines, 0, 22), { value: 'Failed to Tls dialing gbl.his.arc.azure.com:443', next: 2 });
    assert.deepEqual(wrappedValue(lines, 2, 22), { value: 'AzureCloud', next: 3 });
  });

  it('the plain grammar reads a wrapped Format-List message as one record, and finds what it says', () => {
    const text = [
      'PS C:\\> Get-WinEvent -LogName Microsoft-ServerManagementExperience -MaxEvents 1 | Format-List',
      '',
      'TimeCreated  : 11/3/2026 6:40:12 AM',
      'ProviderName : SMEGateway',
      'Message      : The signing certificate (thumbprint: 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567) for file',
      "               'C:\\Program Files\\WindowsAdminCenter\\Service\\Microsoft.Owin.dll' is",
      '               revoked.',
      '',
    ].join('\n');
    assert.equal(plainText.startsRecord(text, text.indexOf("               'C:")), false);
    const { observations } = scanLogText('events.txt', text, 'pasted');
    const hit = observations.find((o) => o.name === 'log.signatures');
    assert.ok(hit, observations.map((o) => o.name).join(', '));
    const text0 = JSON.stringify(hit.value);
    assert.match(text0, /revoked/);
    assert.equal(hit.evidence[0]!.line, 5);
    assert.match(hit.evidence[0]!.excerpt!, /Program Files\\WindowsAdminCenter\\Service\\Microsoft\.Owin\.dll' is revoked\./);
    // Without the wrap the two halves are two records, and neither says it.
    const unwrapped = text.replace(/\n {15}/g, '\n');
    assert.equal(scanLogText('events.txt', unwrapped, 'pasted').observations.find((o) => o.name === 'log.signatures'), undefined);
  });
});
