import { strict as assert } from 'node:assert';
import { endpointMentions, endpointSegments, proxyAddressIn } from './mentions';

const hosts = (t: string): string[] => endpointMentions(t).map((m) => m.host);

describe('endpoint mentions', () => {
  it('URLs of every scheme, ending at escaped quotes, brackets and link debris', () => {
    assert.deepEqual(hosts('Get \\"https://gbl.his.arc.azure.com/discovery?location=westeurope\\": EOF'), ['gbl.his.arc.azure.com']);
    assert.equal(endpointMentions('Get \\"https://gbl.his.arc.azure.com/discovery?x=1\\": EOF')[0]!.url, 'https://gbl.his.arc.azure.com/discovery?x=1');
    assert.deepEqual(hosts('see [https://pas.windows.net](https://pas.windows.net) and <https://management.azure.com>.'), ['pas.windows.net', 'pas.windows.net', 'management.azure.com']);
    assert.deepEqual(endpointMentions('wss://azgnrelay-eastus-l1.servicebus.windows.net/$hc/x').map((m) => [m.host, m.port]), [['azgnrelay-eastus-l1.servicebus.windows.net', 443]]);
    assert.equal(endpointMentions('http://dls.microsoft.com:8080/x.')[0]!.port, 8080);
  });

  it('endpoints named without a URL', () => {
    assert.deepEqual(hosts('Failed to Tls dialing westeurope.his.arc.azure.com:443'), ['westeurope.his.arc.azure.com']);
    assert.deepEqual(hosts('dial tcp: lookup gbl.his.arc.azure.com on 10.0.0.2:53: no such host'), ['gbl.his.arc.azure.com']);
    assert.deepEqual(hosts('connecting to management.azure.com:443 failed'), ['management.azure.com']);
    assert.deepEqual(hosts('Test-NetConnection -ComputerName pas.windows.net -Port 443'), ['pas.windows.net']);
    assert.deepEqual(hosts('ComputerName     : login.microsoftonline.com'), ['login.microsoftonline.com']);
    assert.deepEqual(hosts('request failed host=agentserviceapi.guestconfiguration.azure.com'), ['agentserviceapi.guestconfiguration.azure.com']);
    assert.deepEqual(hosts("The remote name could not be resolved: 'wac.azure.com'"), ['wac.azure.com']);
    assert.deepEqual(hosts('curl: (6) Could not resolve host: pas.windows.net'), ['pas.windows.net']);
  });

  it('IPs, localhost, single labels and the proxy behind proxyconnect are not endpoints', () => {
    assert.deepEqual(hosts('dial tcp 20.1.2.3:443: i/o timeout; http://localhost:40342/metadata; https://server01/'), []);
    assert.deepEqual(hosts('Get "https://gbl.his.arc.azure.com/": proxyconnect tcp: dial tcp: lookup proxy.contoso.com: no such host'), ['gbl.his.arc.azure.com']);
    assert.equal(proxyAddressIn('proxyconnect tcp: dial tcp [::1]:8888: connectex: refused'), '[::1]:8888');
    assert.equal(proxyAddressIn('proxyconnect tcp: dial tcp: lookup proxy.contoso.com: no such host'), 'proxy.contoso.com');
    assert.equal(proxyAddressIn('no proxy here'), undefined);
  });

  it('one record, many endpoints: each host gets the text up to the next host', () => {
    const text = 'required endpoints unavailable: https://a.his.arc.azure.com/ (error: Get \\"https://a.his.arc.azure.com/\\": remote error: tls: handshake failure), https://management.azure.com/ (error: Get \\"https://management.azure.com/\\": EOF)';
    const { prefix, segments } = endpointSegments(text);
    assert.equal(prefix, 'required endpoints unavailable: ');
    assert.deepEqual(segments.map((s) => s.host), ['a.his.arc.azure.com', 'management.azure.com']);
    assert.match(segments[0]!.text, /handshake failure\), $/);
    assert.match(segments[1]!.text, /: EOF\)$/);
  });

  it('malformed input: empty, no host, very long runs', () => {
    assert.deepEqual(endpointSegments(''), { prefix: '', segments: [] });
    assert.deepEqual(hosts('https://'), []);
    assert.deepEqual(hosts(`https://${'a'.repeat(5000)}.com/`), []);
    assert.equal(hosts(`${'https://x.example.com/ '.repeat(2000)}`).length, 2000);
  });
});
