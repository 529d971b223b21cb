import { strict as assert } from 'node:assert';
import { configJsonParser, configTextParser, normalizeConfigKey, parseStringList } from './azcmagent-config';
import { detectParser } from '../sources/pasted';
import { ParseError, type ParseResult } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureText, pastedInput } from '../../test/support/testing';


/** Fact name -> [value, evidence line]; each fact at most once. */
function facts(result: ParseResult): Record<string, [unknown, number | undefined]> {
  const out: Record<string, [unknown, number | undefined]> = {};
  for (const o of result.observations) {
    assert.ok(!(o.name in out), `${o.name} observed twice`);
    out[o.name] = [o.value, o.evidence[0]?.line];
  }
  return out;
}

describe('azcmagent config list text parser', () => {
  const text = fixtureText('azcmagent-config-list.txt');

  it('is detected for the current format', () => {
    assert.equal(detectParser(text), configTextParser);
  });

  it('reads every known key, stripping (preview), with its line', () => {
    const r = configTextParser.parse(text, pastedInput('config.txt'));
    assert.deepEqual(facts(r), {
      'config.incomingConnectionsEnabled': [true, 2],
      'config.incomingConnectionsPorts': [[], 3],
      'config.connectionType': ['default', 4],
      'config.proxyUrl': ['http://10.20.30.40:8080', 5],
      'config.proxyBypass': [[], 6],
      'config.extensionsAllowlist': [[], 7],
      'config.extensionsBlocklist': [[], 8],
      'config.guestConfigurationEnabled': [true, 9],
      'config.extensionsEnabled': [true, 10],
      'config.mode': ['full', 11],
    });
    assert.equal(r.warnings, undefined);
    assert.deepEqual(r.observations[1]!.evidence, [{ source: 'pasted', path: 'config.txt', line: 3, excerpt: 'incomingconnections.ports (preview)                     : []' }]);
  });

  it('reads the old format (header "Local configuration setting", no padding)', () => {
    const old = fixtureText('azcmagent-config-list-old.txt');
    assert.equal(detectParser(old), configTextParser);
    assert.deepEqual(facts(configTextParser.parse(old, pastedInput('old.txt'))), { 'config.incomingConnectionsPorts': [[443], 2] });
  });

  it('reads every list spelling', () => {
    for (const [value, ports] of [['[22 6516]', [22, 6516]], ['[22,6516]', [22, 6516]], ['22,6516', [22, 6516]], ['443', [443]], ['[]', []]] as const) {
      const r = configTextParser.parse(`Local Configuration Settings\n  incomingconnections.ports (preview) : ${value}\n`, pastedInput('l.txt'));
      assert.deepEqual(facts(r)['config.incomingConnectionsPorts'], [ports, 2], value);
    }
    const r = configTextParser.parse('Local Configuration Settings\n  extensions.allowlist : [Microsoft.AdminCenter/AdminCenter,Microsoft.Azure.Monitor/AzureMonitorWindowsAgent]\n  proxy.bypass : [AAD ARM]\n', pastedInput('l.txt'));
    assert.deepEqual(facts(r)['config.extensionsAllowlist'], [['Microsoft.AdminCenter/AdminCenter', 'Microsoft.Azure.Monitor/AzureMonitorWindowsAgent'], 2]);
    assert.deepEqual(facts(r)['config.proxyBypass'], [['AAD', 'ARM'], 3]);
  });

  it('keeps an empty proxy.url, lowercases mode and type, and tolerates blank lines and trailing spaces', () => {
    const t = 'Local Configuration Settings\n\n  proxy.url                 :   \n  config.mode               : Monitor  \n  connection.type (preview) : Gateway\n\n';
    assert.deepEqual(facts(configTextParser.parse(t, pastedInput('t.txt'))), {
      'config.proxyUrl': ['', 3],
      'config.mode': ['monitor', 4],
      'config.connectionType': ['gateway', 5],
    });
  });

  it('warns on a bad boolean and on invalid ports', () => {
    const t = 'Local Configuration Settings\n  incomingconnections.enabled (preview) : maybe\n  incomingconnections.ports (preview) : [6516 70000 ssh]\n';
    const r = configTextParser.parse(t, pastedInput('w.txt'));
    assert.deepEqual(facts(r), { 'config.incomingConnectionsPorts': [[6516], 3] });
    assert.deepEqual(r.warnings, [
      'incomingconnections.enabled: expected true or false, got maybe; ignored',
      'incomingconnections.ports: ignored entries that are not ports 1-65535 in [6516 70000 ssh]',
    ]);
  });

  it('decodes UTF-16LE with BOM and UTF-8 with BOM to the same facts', () => {
    const expected = configTextParser.parse(text, pastedInput('c.txt'));
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\n/g, '\r\n'), 'utf16le')]);
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    for (const buf of [utf16, utf8]) {
      const decoded = decodeText(buf, 'c.txt');
      assert.equal(detectParser(decoded), configTextParser);
      assert.deepEqual(configTextParser.parse(decoded, pastedInput('c.txt')), expected);
    }
  });

  it('throws ParseError for a header without settings', () => {
    const t = 'Local Configuration Settings\n\n';
    assert.equal(detectParser(t), configTextParser);
    assert.throws(() => configTextParser.parse(t, pastedInput('h.txt')), (e: unknown) => e instanceof ParseError && /has no settings; expected `key : value` lines/.test(e.message));
  });

  it('does not claim show, check or JSON outputs', () => {
    for (const f of ['azcmagent-show.txt', 'azcmagent-check.txt', 'azcmagent-config-list.json']) assert.equal(configTextParser.detect(fixtureText(f)), 0, f);
  });
});

describe('azcmagent config list -j parser', () => {
  const text = fixtureText('azcmagent-config-list.json');

  it('is detected', () => {
    assert.equal(detectParser(text), configJsonParser);
    assert.equal(configJsonParser.detect(fixtureText('azcmagent-show.json')), 0);
  });

  it('reads localsettings[] with the line of each key', () => {
    const r = configJsonParser.parse(text, pastedInput('config.json'));
    assert.deepEqual(facts(r), {
      'config.incomingConnectionsEnabled': [true, 4],
      'config.incomingConnectionsPorts': [[22, 6516], 8],
      'config.connectionType': ['default', 12],
      'config.proxyUrl': ['', 16],
      'config.proxyBypass': [[], 20],
      'config.extensionsAllowlist': [['Microsoft.AdminCenter/AdminCenter', 'Microsoft.Azure.Monitor/AzureMonitorWindowsAgent'], 24],
      'config.extensionsBlocklist': [[], 28],
      'config.guestConfigurationEnabled': [true, 32],
      'config.extensionsEnabled': [true, 36],
      'config.mode': ['full', 40],
    });
    assert.equal(r.warnings, undefined);
  });

  it('matches casing loosely and takes typed values', () => {
    const t = JSON.stringify({ LocalSettings: [{ Key: 'incomingconnections.ports (preview)', Value: ['6516', 22] }, { Key: 'extensions.enabled', Value: false }] });
    assert.equal(detectParser(t), configJsonParser);
    assert.deepEqual(facts(configJsonParser.parse(t, pastedInput('c.json'))), {
      'config.incomingConnectionsPorts': [[6516, 22], 1],
      'config.extensionsEnabled': [false, 1],
    });
  });

  it('reads a flat localconfig.json with dotted keys', () => {
    const t = [
      '{',
      '  "tenantId": "8d4b2e6f-1a3c-4f5e-b7d9-0c2e4a6b8d1f",',
      '  "resourceName": "SRV-APP-01",',
      '  "proxy.url": "http://10.20.30.40:8080",',
      '  "proxy.bypass": ["Arc"],',
      '  "incomingconnections.ports": ["6516"],',
      '  "extensions.blocklist": [],',
      '  "guestconfiguration.enabled": "false"',
      '}',
    ].join('\n');
    assert.equal(detectParser(t), configJsonParser);
    assert.deepEqual(facts(configJsonParser.parse(t, pastedInput('localconfig.json'))), {
      'config.proxyUrl': ['http://10.20.30.40:8080', 4],
      'config.proxyBypass': [['Arc'], 5],
      'config.incomingConnectionsPorts': [[6516], 6],
      'config.extensionsBlocklist': [[], 7],
      'config.guestConfigurationEnabled': [false, 8],
    });
  });

  it('decodes UTF-16LE with BOM and UTF-8 with BOM', () => {
    const expected = configJsonParser.parse(text, pastedInput('c.json'));
    for (const buf of [
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
    ]) {
      const decoded = decodeText(buf, 'c.json');
      assert.equal(detectParser(decoded), configJsonParser);
      assert.deepEqual(configJsonParser.parse(decoded, pastedInput('c.json')), expected);
    }
  });

  it('throws ParseError for broken JSON and for JSON without settings', () => {
    const broken = '{ "localsettings": [ { "key": "proxy.url", "value": ';
    assert.equal(detectParser(broken), configJsonParser);
    assert.throws(() => configJsonParser.parse(broken, pastedInput('b.json')), (e: unknown) => e instanceof ParseError && /not valid JSON.*localsettings/.test(e.message));
    const empty = '{ "localsettings": [] }';
    assert.equal(detectParser(empty), configJsonParser);
    assert.throws(() => configJsonParser.parse(empty, pastedInput('e.json')), (e: unknown) => e instanceof ParseError && /has no known settings/.test(e.message));
  });
});

describe('config helpers', () => {
  it('normalizes keys and lists', () => {
    assert.equal(normalizeConfigKey('IncomingConnections.Ports (preview)'), 'incomingconnections.ports');
    assert.deepEqual(parseStringList('["a", "b"]'), ['a', 'b']);
    assert.deepEqual(parseStringList(null), []);
    assert.equal(parseStringList({}), undefined);
  });
});
