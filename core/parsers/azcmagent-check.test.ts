import { strict as assert } from 'node:assert';
import { checkJsonParser, checkTextParser, parseTlsColumn } from './azcmagent-check';
import { detectParser } from '../sources/pasted';
import { ParseError, type ParseResult } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureText, pastedInput } from '../../test/support/testing';


const probe = (r: ParseResult, host: string) => {
  const o = r.observations.find((x) => x.name === `probe.${host}`);
  assert.ok(o, `missing probe.${host}`);
  return o;
};

describe('azcmagent check text parser', () => {
  const text = fixtureText('azcmagent-check.txt');
  const result = checkTextParser.parse(text, pastedInput('check.txt'));

  it('is detected', () => {
    assert.equal(detectParser(text), checkTextParser);
  });

  it('emits one probe per row, in order', () => {
    assert.deepEqual(result.observations.map((o) => o.name), [
      'probe.agentserviceapi.guestconfiguration.azure.com',
      'probe.gbl.his.arc.azure.com',
      'probe.login.microsoftonline.com',
      'probe.login.windows.net',
      'probe.management.azure.com',
      'probe.pas.windows.net',
      'probe.westeurope-gas.guestconfiguration.azure.com',
      'probe.guestnotificationservice.azure.com',
    ]);
    assert.equal(result.warnings, undefined);
  });

  it('reads a reachable row', () => {
    const o = probe(result, 'gbl.his.arc.azure.com');
    assert.deepEqual(o.value, {
      host: 'gbl.his.arc.azure.com', port: 443, url: 'https://gbl.his.arc.azure.com',
      reachable: true, private: false, tls: { ok: true, protocol: 'TLS 1.3' }, proxy: 'not set',
    });
    assert.deepEqual(o.evidence, [{ source: 'pasted', path: 'check.txt', line: 4, excerpt: 'https://gbl.his.arc.azure.com                         |true       |false    |TLS 1.3  |not set' }]);
  });

  it('reads an unreachable row, leaving unknown PRIVATE and TLS out', () => {
    const o = probe(result, 'pas.windows.net');
    assert.deepEqual(o.value, { host: 'pas.windows.net', port: 443, url: 'https://pas.windows.net', reachable: false, proxy: 'not set' });
    assert.equal(o.evidence[0]!.line, 8);
  });

  it('maps columns by header name: bordered table, extra column, other order', () => {
    const t = [
      '+----------------------------------+-----------+-----------+---------+---------+------------+',
      '| ENDPOINT                         | Use Case  | REACHABLE | PRIVATE | PROXY   | TLS        |',
      '+----------------------------------+-----------+-----------+---------+---------+------------+',
      '| https://management.azure.com     | Onboard   | true      | false   | set     | TLS 1.2    |',
      '| https://wac.azure.com:8443/x     | WAC       | false     | true    | set     | unknown    |',
      '+----------------------------------+-----------+-----------+---------+---------+------------+',
      '',
    ].join('\n');
    assert.equal(detectParser(t), checkTextParser);
    const r = checkTextParser.parse(t, pastedInput('b.txt'));
    assert.deepEqual(r.observations.map((o) => [o.value, o.evidence[0]!.line]), [
      [{ host: 'management.azure.com', port: 443, url: 'https://management.azure.com', reachable: true, private: false, tls: { ok: true, protocol: 'TLS 1.2' }, proxy: 'set' }, 4],
      [{ host: 'wac.azure.com', port: 8443, url: 'https://wac.azure.com:8443/x', reachable: false, private: true, proxy: 'set' }, 5],
    ]);
  });

  it('reads rows pasted without their header in the documented order', () => {
    const t = 'https://gbl.his.arc.azure.com |false |unknown |unknown |set\nhttps://pas.windows.net |true |false |TLS 1.2 |set\n';
    assert.equal(detectParser(t), checkTextParser);
    const r = checkTextParser.parse(t, pastedInput('n.txt'));
    assert.deepEqual(r.observations.map((o) => o.value), [
      { host: 'gbl.his.arc.azure.com', port: 443, url: 'https://gbl.his.arc.azure.com', reachable: false, proxy: 'set' },
      { host: 'pas.windows.net', port: 443, url: 'https://pas.windows.net', reachable: true, private: false, tls: { ok: true, protocol: 'TLS 1.2' }, proxy: 'set' },
    ]);
  });

  it('warns on a REACHABLE value that is not a boolean', () => {
    const t = 'ENDPOINT |REACHABLE |PRIVATE |TLS |PROXY\nhttps://gbl.his.arc.azure.com |maybe |false |TLS 1.2 |set\n';
    const r = checkTextParser.parse(t, pastedInput('w.txt'));
    assert.deepEqual(r.warnings, ['line 2: REACHABLE "maybe" is not true or false']);
    assert.equal((r.observations[0]!.value as { reachable?: boolean }).reachable, undefined);
  });

  it('decodes UTF-16LE with BOM and UTF-8 with BOM to the same facts', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\n/g, '\r\n'), 'utf16le')]);
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    for (const buf of [utf16, utf8]) {
      const decoded = decodeText(buf, 'check.txt');
      assert.equal(detectParser(decoded), checkTextParser);
      assert.deepEqual(checkTextParser.parse(decoded, pastedInput('check.txt')), result);
    }
  });

  it('throws ParseError for a header without rows', () => {
    const t = 'ENDPOINT                                              |REACHABLE  |PRIVATE  |TLS      |PROXY\n\n';
    assert.equal(detectParser(t), checkTextParser);
    assert.throws(() => checkTextParser.parse(t, pastedInput('h.txt')), (e: unknown) => e instanceof ParseError && /header but no endpoint rows; expected rows such as/.test(e.message));
  });

  it('does not claim show or config output', () => {
    assert.equal(checkTextParser.detect(fixtureText('azcmagent-show.txt')), 0);
    assert.equal(checkTextParser.detect(fixtureText('azcmagent-config-list.txt')), 0);
  });
});

describe('azcmagent check -j parser', () => {
  const text = fixtureText('azcmagent-check.json');
  const result = checkJsonParser.parse(text, pastedInput('check.json'));

  it('is detected', () => {
    assert.equal(detectParser(text), checkJsonParser);
    assert.equal(checkJsonParser.detect(fixtureText('azcmagent-check.txt')), 0);
  });

  it('reads each item with the line of its endpoint', () => {
    assert.equal(result.observations.length, 6);
    const gbl = probe(result, 'gbl.his.arc.azure.com');
    assert.deepEqual(gbl.value, {
      host: 'gbl.his.arc.azure.com', port: 443, url: 'https://gbl.his.arc.azure.com',
      reachable: true, private: false, tls: { ok: true, protocol: 'TLS 1.3' }, proxy: 'set',
    });
    assert.deepEqual(gbl.evidence, [{ source: 'pasted', path: 'check.json', line: 10, excerpt: '"endpoint": "https://gbl.his.arc.azure.com",' }]);
    const pas = probe(result, 'pas.windows.net');
    assert.deepEqual(pas.value, { host: 'pas.windows.net', port: 443, url: 'https://pas.windows.net', reachable: false, proxy: 'set' });
    assert.equal(pas.evidence[0]!.line, 31);
  });

  it('matches keys case-insensitively', () => {
    const t = JSON.stringify([{ Endpoint: 'https://management.azure.com', Reachable: 'true', Private: 'false', TLS: 'TLS 1.2', 'Proxy Status': 'not set' }]);
    assert.equal(detectParser(t), checkJsonParser);
    assert.deepEqual(checkJsonParser.parse(t, pastedInput('c.json')).observations[0]!.value, {
      host: 'management.azure.com', port: 443, url: 'https://management.azure.com', reachable: true, private: false, tls: { ok: true, protocol: 'TLS 1.2' }, proxy: 'not set',
    });
  });

  it('decodes UTF-16LE with BOM and UTF-8 with BOM', () => {
    for (const buf of [
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
    ]) {
      const decoded = decodeText(buf, 'check.json');
      assert.equal(detectParser(decoded), checkJsonParser);
      assert.deepEqual(checkJsonParser.parse(decoded, pastedInput('check.json')), result);
    }
  });

  it('throws ParseError for truncated JSON', () => {
    const t = text.slice(0, text.indexOf('"proxy status"'));
    assert.equal(detectParser(t), checkJsonParser);
    assert.throws(() => checkJsonParser.parse(t, pastedInput('t.json')), (e: unknown) => e instanceof ParseError && /not valid JSON.*azcmagent check -j/.test(e.message));
  });

  it('skips an item whose endpoint is not a URL, with a warning', () => {
    const r = checkJsonParser.parse('[{"endpoint": "not a url", "reachable": true}]', pastedInput('x.json'));
    assert.deepEqual(r.observations, []);
    assert.deepEqual(r.warnings, ['item 1: "not a url" is not a URL; row skipped']);
  });
});

describe('parseTlsColumn', () => {
  it('names the protocol or says nothing', () => {
    assert.deepEqual(parseTlsColumn('TLSv1.2'), { ok: true, protocol: 'TLS 1.2' });
    assert.deepEqual(parseTlsColumn('tls 1.3'), { ok: true, protocol: 'TLS 1.3' });
    assert.deepEqual(parseTlsColumn(true), { ok: true });
    assert.equal(parseTlsColumn('unknown'), undefined);
    assert.equal(parseTlsColumn('false'), undefined);
  });
});
