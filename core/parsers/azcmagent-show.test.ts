import { strict as assert } from 'node:assert';
import { showJsonParser, showTextParser, toIsoTime } from './azcmagent-show';
import { detectParser } from '.';
import { ParseError, type ParseResult } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureText, pastedInput } from '../../test/support/testing';


/** name -> observation, failing on a fact observed twice. */
function byName(result: ParseResult): Map<string, ParseResult['observations'][number]> {
  const map = new Map<string, ParseResult['observations'][number]>();
  for (const o of result.observations) {
    assert.ok(!map.has(o.name), `${o.name} observed twice`);
    map.set(o.name, o);
  }
  return map;
}

function get(result: ParseResult, name: string): ParseResult['observations'][number] {
  const o = byName(result).get(name);
  assert.ok(o, `missing ${name}; got ${result.observations.map((x) => x.name).join(', ')}`);
  return o;
}

const SUB = '3f2a9c1e-7b4d-4e8a-9c6f-2d1e0b5a7c93';

describe('azcmagent show text parser', () => {
  const text = fixtureText('azcmagent-show.txt');
  const result = showTextParser.parse(text, pastedInput('show.txt'));

  it('is detected for the healthy output', () => {
    assert.equal(detectParser(text), showTextParser);
  });

  it('reads the agent facts with their lines', () => {
    assert.equal(get(result, 'machine.name').value, 'SRV-APP-01');
    assert.deepEqual(get(result, 'machine.name').evidence, [{ source: 'pasted', path: 'show.txt', line: 1, excerpt: 'Resource Name                           : SRV-APP-01' }]);
    assert.equal(get(result, 'machine.resourceId').value, `/subscriptions/${SUB}/resourceGroups/rg-arc-servers-weu/providers/Microsoft.HybridCompute/machines/SRV-APP-01`);
    assert.equal(get(result, 'machine.resourceId').evidence[0]!.line, 4);
    assert.equal(get(result, 'agent.version').value, '1.45.02669.1635');
    assert.equal(get(result, 'agent.version').evidence[0]!.line, 12);
    assert.equal(get(result, 'agent.status').value, 'Connected');
    assert.equal(get(result, 'agent.status').evidence[0]!.line, 14);
    assert.equal(get(result, 'agent.lastHeartbeat').value, '2024-09-18T09:41:27Z');
    assert.equal(get(result, 'agent.cloud').value, 'AzureCloud');
    assert.equal(get(result, 'agent.location').value, 'westeurope');
    assert.equal(get(result, 'agent.location').evidence[0]!.line, 10);
    assert.equal(get(result, 'agent.httpsProxy').value, '');
    assert.equal(get(result, 'agent.httpsProxy').evidence[0]!.line, 19);
  });

  it('dates every observation with the heartbeat', () => {
    assert.ok(result.observations.length > 10);
    for (const o of result.observations) assert.equal(o.time, '2024-09-18T09:41:27Z', o.name);
  });

  it('emits no error, gateway or private link facts when they are empty or absent', () => {
    const names = result.observations.map((o) => o.name);
    for (const n of ['agent.error', 'agent.gatewayUrl', 'agent.privateLinkScope', 'config.connectionType']) {
      assert.ok(!names.includes(n as never), n);
    }
    assert.equal(result.warnings, undefined);
  });

  it('states an empty error code list when "Agent Error Code" is present but empty', () => {
    const codes = get(result, 'agent.errorCodes');
    assert.deepEqual(codes.value, []);
    assert.match(codes.evidence[0]!.excerpt!, /^Agent Error Code\s+:$/);
  });

  it('reads one service fact per Dependent Service Status row', () => {
    assert.deepEqual(get(result, 'service.himds').value, { name: 'himds', displayName: 'Agent Service', state: 'running' });
    assert.equal(get(result, 'service.himds').evidence[0]!.line, 27);
    assert.deepEqual(get(result, 'service.arcproxy').value, { name: 'arcproxy', displayName: 'Azure Arc Proxy', state: 'stopped' });
    assert.deepEqual(get(result, 'service.extensionservice').value, { name: 'extensionservice', displayName: 'Extension Service', state: 'running' });
    assert.deepEqual(get(result, 'service.gcarcservice').value, { name: 'gcarcservice', displayName: 'GC Service', state: 'running' });
    assert.equal(result.observations.filter((o) => o.name.startsWith('service.')).length, 4);
  });

  it('reads the disconnected output: wider labels, error code, proxy, stopped himds', () => {
    const t = fixtureText('azcmagent-show-disconnected.txt');
    assert.equal(detectParser(t), showTextParser);
    const r = showTextParser.parse(t, pastedInput('disc.txt'));
    assert.equal(get(r, 'agent.status').value, 'Disconnected');
    assert.equal(get(r, 'agent.status').time, '2024-09-02T17:05:44Z');
    const details = 'Network Error: Failed to reach https://gbl.his.arc.azure.com: dial tcp 10.20.30.40:8080: connectex: No connection could be made because the target machine actively refused it.';
    assert.deepEqual(get(r, 'agent.error').value, { code: 'AZCM0026', details });
    assert.deepEqual(get(r, 'agent.error').evidence.map((e) => e.line), [16, 17]);
    assert.deepEqual(get(r, 'agent.errorCodes').value, [{ code: 'AZCM0026', details }]);
    assert.equal(get(r, 'agent.httpsProxy').value, 'http://10.20.30.40:8080');
    assert.deepEqual(get(r, 'service.himds').value, { name: 'himds', displayName: 'Agent Service', state: 'stopped' });
    assert.equal(get(r, 'service.himds').evidence[0]!.line, 28); // after the blank line
    assert.equal(get(r, 'machine.name').value, 'SRV-FILE-07');
  });

  it('joins a value the console wrapped at its column (Agent Error Details over two lines), and only at that column', () => {
    const t = [
      'Resource Name                           : srv01',
      'Agent Version                           : 1.45.02797.1740',
      'Agent Status                            : Disconnected',
      'Agent Error Code                        : AZCM0041',
      'Agent Error Details                     : The credentials supplied to the package were not recognized: Failed to',
      '                                          Tls dialing gbl.his.arc.azure.com:443\r',
      'Cloud                                   : AzureCloud',
      '',
      'Dependent Service Status',
      '  Agent Service (himds)                 : running',
    ].join('\n');
    const r = showTextParser.parse(t, pastedInput('wrap.txt'));
    assert.deepEqual(get(r, 'agent.error').value, { code: 'AZCM0041', details: 'The credentials supplied to the package were not recognized: Failed to Tls dialing gbl.his.arc.azure.com:443' });
    assert.deepEqual(get(r, 'agent.error').evidence.map((e) => e.line), [4, 5]);
    assert.equal(get(r, 'agent.cloud').value, 'AzureCloud');
    assert.deepEqual(get(r, 'service.himds').value, { name: 'himds', displayName: 'Agent Service', state: 'running' });
    // Indented otherwise (here by two more spaces), the line is not the value's.
    const other = showTextParser.parse(t.replace('\n                                          Tls', '\n                                            Tls'), pastedInput('wrap.txt'));
    assert.deepEqual(get(other, 'agent.error').value, { code: 'AZCM0041', details: 'The credentials supplied to the package were not recognized: Failed to' });
  });

  it('builds the resource id from its parts when there is no Resource Id line', () => {
    const t = [
      'Resource Name                           : web 01',
      'Resource Group Name                     : rg-a',
      `Subscription ID                         : ${SUB}`,
      'Location                                : West Europe',
      'Agent Version                           : 1.45.02669.1635',
      'Agent Status                            : connected',
      'Agent Last Heartbeat                    : 2024-09-18 09:41:27 +0000 UTC',
      'Private Link Scope                      :',
      'Gateway URL                             : https://a1b2c3.gw.arc.azure.com',
      'Unknown Future Label                    : x : y',
    ].join('\n');
    const r = showTextParser.parse(t, pastedInput('p.txt'));
    assert.equal(get(r, 'machine.resourceId').value, `/subscriptions/${SUB}/resourceGroups/rg-a/providers/Microsoft.HybridCompute/machines/web 01`);
    assert.deepEqual(get(r, 'machine.resourceId').evidence.map((e) => e.line), [3, 2, 1]);
    assert.equal(get(r, 'agent.location').value, 'westeurope');
    assert.equal(get(r, 'agent.status').value, 'Connected');
    assert.equal(get(r, 'agent.lastHeartbeat').value, '2024-09-18T09:41:27Z');
    assert.equal(get(r, 'agent.privateLinkScope').value, '');
    assert.equal(get(r, 'agent.gatewayUrl').value, 'https://a1b2c3.gw.arc.azure.com');
  });

  it('decodes UTF-16LE with BOM and UTF-8 with BOM to the same facts', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\n/g, '\r\n'), 'utf16le')]);
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    for (const buf of [utf16, utf8]) {
      const decoded = decodeText(buf, 'show.txt');
      assert.equal(detectParser(decoded), showTextParser);
      assert.deepEqual(showTextParser.parse(decoded, pastedInput('show.txt')), result);
    }
  });

  it('warns on an unknown service state and an unreadable heartbeat', () => {
    const t = 'Agent Version : 1.45.02669.1635\nAgent Status : Connected\nAgent Last Heartbeat : yesterday\nDependent Service Status\n  Agent Service (himds) : degraded\n';
    const r = showTextParser.parse(t, pastedInput('w.txt'));
    assert.deepEqual(get(r, 'service.himds').value, { name: 'himds', displayName: 'Agent Service', state: 'unknown' });
    assert.deepEqual(r.warnings, ['Agent Last Heartbeat "yesterday" is not a date; ignored', 'service himds: unknown state "degraded", recorded as unknown']);
    assert.equal(get(r, 'agent.version').time, undefined);
  });

  it('throws ParseError for labels without values', () => {
    const t = 'Resource Name :\nAgent Version :\nAgent Status :\n';
    assert.equal(detectParser(t), showTextParser);
    assert.throws(() => showTextParser.parse(t, pastedInput('e.txt')), (e: unknown) => e instanceof ParseError && /expected `Label : value` lines/.test(e.message));
  });

  it('does not claim config list or check output', () => {
    assert.equal(showTextParser.detect(fixtureText('azcmagent-config-list.txt')), 0);
    assert.equal(showTextParser.detect(fixtureText('azcmagent-check.txt')), 0);
    assert.equal(showTextParser.detect(fixtureText('azcmagent-show.json')), 0);
  });
});

describe('azcmagent show -j parser', () => {
  const text = fixtureText('azcmagent-show.json');
  const result = showJsonParser.parse(text, pastedInput('show.json'));

  it('is detected', () => {
    assert.equal(detectParser(text), showJsonParser);
    assert.equal(showJsonParser.detect(fixtureText('azcmagent-show.txt')), 0);
  });

  it('reads the top-level keys with their lines', () => {
    assert.equal(get(result, 'machine.name').value, 'SRV-APP-02');
    assert.equal(get(result, 'machine.name').evidence[0]!.line, 2);
    assert.equal(get(result, 'machine.resourceId').value, `/subscriptions/${SUB}/resourceGroups/rg-arc-servers-weu/providers/Microsoft.HybridCompute/machines/SRV-APP-02`);
    assert.equal(get(result, 'agent.version').value, '1.45.02669.1635');
    assert.equal(get(result, 'agent.version').evidence[0]!.line, 13);
    // The top-level `status` (line 15), not a service's `status`.
    assert.equal(get(result, 'agent.status').value, 'Connected');
    assert.deepEqual(get(result, 'agent.status').evidence, [{ source: 'pasted', path: 'show.json', line: 15, excerpt: '"status": "Connected",' }]);
    assert.equal(get(result, 'agent.lastHeartbeat').value, '2024-09-18T09:43:02Z');
    assert.equal(get(result, 'agent.cloud').value, 'AzureCloud');
    assert.equal(get(result, 'agent.location').value, 'westeurope');
    assert.equal(get(result, 'agent.httpsProxy').value, '');
    assert.equal(get(result, 'agent.privateLinkScope').value, '');
    assert.equal(get(result, 'agent.privateLinkScope').evidence[0]!.line, 23);
    assert.equal(get(result, 'config.connectionType').value, 'default');
    assert.ok(!byName(result).has('agent.gatewayUrl'));
    assert.ok(!byName(result).has('agent.error'));
    for (const o of result.observations) assert.equal(o.time, '2024-09-18T09:43:02Z', o.name);
  });

  it('reads services[] with the line of each serviceName', () => {
    assert.deepEqual(get(result, 'service.himds').value, { name: 'himds', displayName: 'Agent Service', state: 'running' });
    assert.equal(get(result, 'service.himds').evidence[0]!.line, 29);
    assert.deepEqual(get(result, 'service.arcproxy').value, { name: 'arcproxy', displayName: 'Azure Arc Proxy', state: 'stopped' });
    assert.equal(get(result, 'service.arcproxy').evidence[0]!.line, 34);
    assert.equal(result.observations.filter((o) => o.name.startsWith('service.')).length, 4);
  });

  it('matches keys case-insensitively and reads errors and private link', () => {
    const t = JSON.stringify({
      AgentVersion: '1.44.02600.1500', Status: 'Disconnected', ResourceName: 'm1', AgentErrorCode: 'AZCM0041',
      AgentErrorDetails: 'invalid credentials', PrivateLinkScope: '/subscriptions/x/resourceGroups/y/providers/Microsoft.HybridCompute/privateLinkScopes/pls1',
      GatewayURL: 'https://z9.gw.arc.azure.com',
    });
    assert.equal(detectParser(t), showJsonParser);
    const r = showJsonParser.parse(t, pastedInput('m.json'));
    assert.equal(get(r, 'agent.version').value, '1.44.02600.1500');
    assert.equal(get(r, 'agent.version').evidence[0]!.line, 1);
    assert.deepEqual(get(r, 'agent.error').value, { code: 'AZCM0041', details: 'invalid credentials' });
    assert.deepEqual(get(r, 'agent.errorCodes').value, [{ code: 'AZCM0041', details: 'invalid credentials' }]);
    assert.equal(get(r, 'agent.privateLinkScope').value, '/subscriptions/x/resourceGroups/y/providers/Microsoft.HybridCompute/privateLinkScopes/pls1');
    assert.equal(get(r, 'agent.gatewayUrl').value, 'https://z9.gw.arc.azure.com');
    assert.ok(!byName(r).has('machine.resourceId'));
  });

  it('decodes UTF-16LE with BOM and UTF-8 with BOM', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    for (const buf of [utf16, utf8]) {
      const decoded = decodeText(buf, 'show.json');
      assert.equal(detectParser(decoded), showJsonParser);
      assert.deepEqual(showJsonParser.parse(decoded, pastedInput('show.json')), result);
    }
  });

  it('does not claim az connectedmachine show JSON', () => {
    const arm = JSON.stringify({ id: '/subscriptions/x', name: 'm1', type: 'Microsoft.HybridCompute/machines', properties: { agentVersion: '1.45.02669.1635', status: 'Connected' } }, null, 2);
    assert.equal(showJsonParser.detect(arm), 0);
    const props = JSON.stringify({ agentVersion: '1.45.02669.1635', status: 'Connected', provisioningState: 'Succeeded', osName: 'windows' });
    assert.equal(showJsonParser.detect(props), 0);
  });

  it('throws ParseError for truncated JSON', () => {
    const t = text.slice(0, text.indexOf('"services"'));
    assert.equal(detectParser(t), showJsonParser);
    assert.throws(() => showJsonParser.parse(t, pastedInput('bad.json')), (e: unknown) => e instanceof ParseError && /not valid JSON.*azcmagent show -j/.test(e.message));
  });
});

describe('toIsoTime', () => {
  it('keeps ISO, converts Go time, rejects words', () => {
    assert.equal(toIsoTime('2024-09-18T09:41:27Z'), '2024-09-18T09:41:27Z');
    assert.equal(toIsoTime('2024-09-18 09:41:27.123 +0000 UTC'), '2024-09-18T09:41:27.123Z');
    assert.equal(toIsoTime('2024-09-18 11:41:27 +0200'), '2024-09-18T11:41:27+02:00');
    assert.equal(toIsoTime('soon'), undefined);
  });
});
