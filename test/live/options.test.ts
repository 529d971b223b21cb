import { strict as assert } from 'node:assert';
import {
  dnsServerOption, LiveOptionError, overrideFor, resolveOverride, parseConnectTo, parseDnsServer, parseResolve, regionLabel, validTimeout,
} from '../../core/sources/live/options';
import { bypassReason, chooseProxy, proxyProbeFrom, stripCredentials } from '../../core/sources/live/proxy';
import { customEndpoints, defaultEndpoints } from '../../core/sources/live/endpoints';
import { formatProgress } from '../../core/sources/live/progress';

describe('live options', () => {
  it('parses --resolve as curl does', () => {
    assert.deepEqual(parseResolve('wac.azure.com:443:127.0.0.1'), { host: 'wac.azure.com', port: 443, address: '127.0.0.1', text: 'wac.azure.com:443:127.0.0.1', option: '--resolve' });
    assert.equal(parseResolve('WAC.azure.com:443:[::1]').address, '::1');
    assert.equal(parseResolve('wac.azure.com:443:10.0.0.1,10.0.0.2').address, '10.0.0.1');
    assert.equal(parseResolve('*:443:127.0.0.1').host, '');
    for (const bad of ['wac.azure.com:443', 'wac.azure.com:99999:127.0.0.1', 'wac.azure.com:443:not-an-ip', 'a b:443:127.0.0.1']) {
      assert.throws(() => parseResolve(bad), LiveOptionError, bad);
    }
  });

  it('accepts --resolve and --dns-server already parsed by the CLI', () => {
    assert.deepEqual(resolveOverride({ host: 'wac.azure.com', port: 443, address: '::1' }), { host: 'wac.azure.com', port: 443, address: '::1', text: 'wac.azure.com:443:[::1]', option: '--resolve' });
    assert.deepEqual(dnsServerOption({ address: '::1', port: 5353 }), { address: '::1', port: 5353 });
    assert.throws(() => dnsServerOption({ address: 'x', port: 53 }), LiveOptionError);
  });

  it('parses --connect-to, with empty parts meaning "any" or "unchanged"', () => {
    assert.deepEqual(parseConnectTo('wac.azure.com:443:127.0.0.1:8443'), { host: 'wac.azure.com', port: 443, address: '127.0.0.1', toPort: 8443, text: 'wac.azure.com:443:127.0.0.1:8443', option: '--connect-to' });
    assert.deepEqual(parseConnectTo('::[::1]:8443'), { host: '', address: '::1', toPort: 8443, text: '::[::1]:8443', option: '--connect-to' });
    assert.deepEqual(parseConnectTo(':443::8443'), { host: '', port: 443, toPort: 8443, text: ':443::8443', option: '--connect-to' });
    assert.throws(() => parseConnectTo('wac.azure.com:443::'), LiveOptionError);
    assert.throws(() => parseConnectTo('wac.azure.com:443:127.0.0.1'), LiveOptionError);
  });

  it('picks the most specific override', () => {
    const list = [parseConnectTo('::127.0.0.1:1'), parseConnectTo(':443:127.0.0.1:2'), parseConnectTo('wac.azure.com::127.0.0.1:3'), parseResolve('wac.azure.com:443:127.0.0.4')];
    assert.equal(overrideFor(list, 'wac.azure.com', 443)?.address, '127.0.0.4');
    assert.equal(overrideFor(list, 'wac.azure.com', 80)?.toPort, 3);
    assert.equal(overrideFor(list, 'pas.windows.net', 443)?.toPort, 2);
    assert.equal(overrideFor(list, 'pas.windows.net', 80)?.toPort, 1);
    assert.equal(overrideFor([], 'pas.windows.net', 443), undefined);
  });

  it('parses --dns-server address[:port]', () => {
    assert.deepEqual(parseDnsServer('10.0.0.2'), { address: '10.0.0.2', port: 53 });
    assert.deepEqual(parseDnsServer('10.0.0.2:5353'), { address: '10.0.0.2', port: 5353 });
    assert.deepEqual(parseDnsServer('::1'), { address: '::1', port: 53 });
    assert.deepEqual(parseDnsServer('[::1]:5353'), { address: '::1', port: 5353 });
    for (const bad of ['dns.example', '10.0.0.2:0', '[::1]:x', '']) assert.throws(() => parseDnsServer(bad), LiveOptionError, bad);
  });

  it('validates the timeout and the region', () => {
    assert.equal(validTimeout(undefined), 5000);
    assert.equal(validTimeout(1500.4), 1500);
    assert.throws(() => validTimeout(50), LiveOptionError);
    assert.throws(() => validTimeout(Number.NaN), LiveOptionError);
    assert.equal(regionLabel('West Europe'), 'westeurope');
    assert.equal(regionLabel('evil.example.com/'), undefined, 'a region never brings dots or slashes into a host name');
    assert.equal(regionLabel(''), undefined);
  });

  it('lists only documented endpoint names, regional ones with a region', () => {
    assert.deepEqual(defaultEndpoints(undefined).map((e) => e.host), [
      'wac.azure.com', 'pas.windows.net', 'guestnotificationservice.azure.com', 'login.microsoftonline.com', 'management.azure.com',
      'gbl.his.arc.azure.com', 'agentserviceapi.guestconfiguration.azure.com',
    ]);
    const regional = defaultEndpoints('westeurope');
    assert.ok(regional.some((e) => e.host === 'westeurope.service.waconazure.com' && e.path === '/'));
    assert.ok(regional.some((e) => e.host === 'westeurope-gas.guestconfiguration.azure.com'));
    assert.deepEqual(regional.find((e) => e.relayAllowlist), {
      host: 'guestnotificationservice.azure.com', port: 443, path: '/urls/allowlist?api-version=2020-01-01&location=westeurope', relayAllowlist: true,
    });
    assert.deepEqual(customEndpoints(['wac.azure.com:8443', 'x.example'], undefined), [{ host: 'wac.azure.com', port: 8443, path: '/' }, { host: 'x.example', port: 443 }]);
    assert.throws(() => customEndpoints(['bad host'], undefined));
  });
});

describe('live proxy selection', () => {
  it('prefers proxy.url over HTTPS_PROXY and keeps no credentials', () => {
    const c = chooseProxy('http://svc:pw@proxy.corp:3128', { HTTPS_PROXY: 'http://other:8080' }, ['AAD']);
    assert.deepEqual(c, { url: 'http://proxy.corp:3128', source: 'proxy.url', host: 'proxy.corp', port: 3128, hasCredentials: true, bypassGroups: ['AAD'], noProxy: [] });
    assert.equal(chooseProxy('', { https_proxy: '10.0.0.5:8080' }, [])?.url, '10.0.0.5:8080');
    assert.equal(chooseProxy('', { https_proxy: '10.0.0.5:8080' }, [])?.port, 8080);
    assert.equal(chooseProxy(undefined, {}, []), undefined);
    assert.equal(chooseProxy('https://proxy:443', {}, [])?.unsupported, 'https proxies are not probed (only http:// with CONNECT)');
    assert.equal(stripCredentials('http://u:p@h:1/x@y'), 'http://h:1/x@y');
  });

  it('applies the documented bypass groups and NO_PROXY', () => {
    const agent = chooseProxy('http://p:1', {}, ['AAD', 'Arc'])!;
    assert.equal(bypassReason(agent, 'pas.windows.net', 443), 'proxy.bypass AAD');
    assert.equal(bypassReason(agent, 'login.microsoftonline.com', 443), 'proxy.bypass AAD');
    assert.equal(bypassReason(agent, 'gbl.his.arc.azure.com', 443), 'proxy.bypass Arc');
    assert.equal(bypassReason(agent, 'agentserviceapi.guestconfiguration.azure.com', 443), 'proxy.bypass Arc');
    assert.equal(bypassReason(agent, 'management.azure.com', 443), undefined);
    assert.equal(bypassReason(agent, 'wac.azure.com', 443), undefined);
    const env = chooseProxy(undefined, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'localhost, .windows.net,management.azure.com:8443' }, [])!;
    assert.equal(bypassReason(env, 'pas.windows.net', 443), 'NO_PROXY .windows.net');
    assert.equal(bypassReason(env, 'management.azure.com', 443), undefined, 'the port must match');
    assert.equal(bypassReason(chooseProxy(undefined, { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' }, [])!, 'wac.azure.com', 443), 'NO_PROXY *');
  });

  it('derives proxy.probe from the tunnels', () => {
    const c = chooseProxy('http://p:1', {}, [])!;
    assert.equal(proxyProbeFrom(c, []), undefined);
    assert.equal(proxyProbeFrom(c, [{ ok: true, status: 200 }, { ok: false, status: 407 }])?.status, 'auth-required');
    assert.equal(proxyProbeFrom(c, [{ ok: false, status: 403, error: 'forbidden' }, { ok: true }])?.status, 'ok');
    assert.equal(proxyProbeFrom(c, [{ ok: false, proxyUnreachable: true, error: 'refused' }])?.status, 'unreachable');
    assert.deepEqual(proxyProbeFrom(c, [{ ok: false, status: 502, error: 'bad gateway' }]), { url: 'http://p:1', status: 'error', error: 'bad gateway' });
  });
});

describe('live progress line', () => {
  const p = (running: string[]) => ({ event: 'start' as const, check: running[0] ?? '', running, done: 3, total: 9, elapsedMs: 1234 });

  it('names the running checks and fits the width', () => {
    assert.equal(formatProgress(p(['probe wac.azure.com', 'azcmagent'])), 'checking 3/9: probe wac.azure.com, azcmagent 1.2s');
    const many = formatProgress(p(Array.from({ length: 12 }, (_, i) => `probe host${i}.example`)), 80);
    assert.ok(many.length <= 80, many);
    assert.match(many, /^checking 3\/9: probe host0\.example, .* \(\+\d+ more\) 1\.2s$/);
    assert.equal(formatProgress(p([])), 'checking 3/9 1.2s');
  });
});
