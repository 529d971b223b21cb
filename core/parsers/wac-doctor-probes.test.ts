import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectParser } from '../sources/pasted';
import { FactStore } from '../engine/fact-store';
import { ParseError, type InputRef } from './parser';
import { runRule } from '../engine/run';
import { PASTED_PARSERS } from '.';
import { describeProbe, wacDoctorProbesParser } from './wac-doctor-probes';
import { RULES } from '../../rules';

const TEXT = readFileSync(join(__dirname, '../../fixtures/live/probes.json'), 'utf8');
const ref: InputRef = { path: 'probes.json', source: 'bundle' };
const NOW = new Date('2026-11-26T12:00:00Z');

describe('wac-doctor probes parser', () => {
  it('is detected by its marker, ahead of every other parser', () => {
    assert.equal(wacDoctorProbesParser.detect(TEXT), 100);
    assert.equal(detectParser(TEXT, [...PASTED_PARSERS, wacDoctorProbesParser]), wacDoctorProbesParser);
    assert.equal(wacDoctorProbesParser.detect('{"agentVersion": "1.45"}'), 0);
    assert.equal(wacDoctorProbesParser.detect('[{"Name":"himds","Status":4}]'), 0);
    assert.equal(wacDoctorProbesParser.detect('{\n  "tool": 1,\n  "wacDoctorProbes": 1 }'), 90);
  });

  it('turns the document back into facts, dated by createdAt, with the host line as evidence', () => {
    const { observations, warnings } = wacDoctorProbesParser.parse(TEXT, ref);
    const byName = new Map(observations.map((o) => [o.name, o]));
    assert.deepEqual([...byName.keys()].sort(), [
      'env.httpsProxy', 'extension.adminCenter', 'memory.totalBytes', 'os', 'probe.gbl.his.arc.azure.com', 'probe.management.azure.com',
      'probe.pas.windows.net', 'probe.wac.azure.com', 'proxy.probe', 'wac.appsettingsPort', 'wac.localHttps',
    ]);
    for (const o of observations) assert.equal(o.time, '2026-11-26T12:00:00.000Z', o.name);
    assert.deepEqual(byName.get('os')!.value, { platform: 'windows', name: 'Microsoft Windows Server 2022 Datacenter', version: '10.0.20348', build: 20348 });
    assert.deepEqual(byName.get('proxy.probe')!.value, {
      url: 'http://proxy.contoso.example:3128', status: 'auth-required', error: 'the proxy answered CONNECT wac.azure.com:443 with 407 Proxy Authentication Required',
    });
    assert.deepEqual(byName.get('wac.localHttps')!.value, { port: 6516, error: 'connect ECONNREFUSED 127.0.0.1:6516' });
    assert.equal(byName.get('wac.appsettingsPort')!.value, 6516);
    // The fact carries the contract's fields only; how it connected stays in the file and the excerpt.
    const pas = byName.get('probe.pas.windows.net')!;
    assert.equal((pas.value as unknown as Record<string, unknown>).resolvers, undefined);
    const ev = pas.evidence[0]!;
    assert.equal(ev.source, 'bundle');
    assert.equal(ev.path, 'probes.json');
    assert.equal(TEXT.split('\n')[ev.line! - 1]!.includes('"host": "pas.windows.net"'), true);
    assert.match(ev.excerpt!, /^pas\.windows\.net:443 direct \(proxy\.bypass AAD\); DNS via 10\.0\.0\.2 -> 20\.190\.1\.1; also TIMEOUT via 10\.0\.0\.3; TCP 9 ms; TLS TLS 1\.2 issuer "Contoso TLS Inspection CA", NOT a public root/);
    // Malformed values are dropped, with a warning, never guessed.
    const mgmt = byName.get('probe.management.azure.com')!.value as unknown as Record<string, unknown>;
    assert.equal(mgmt.dns, undefined);
    assert.equal(mgmt.tcp, undefined);
    assert.deepEqual(mgmt.tls, { ok: true });
    assert.deepEqual(warnings, ['endpoints[3]: "bad host!" is not a host name; ignored']);
  });

  it('feeds the rules the same way live facts do', () => {
    const store = new FactStore();
    store.add(...wacDoctorProbesParser.parse(TEXT, ref).observations);
    const status = (id: string) => runRule(RULES.find((r) => r.meta.id === id)!, store, { now: NOW }).status;
    assert.equal(status('tls-inspection'), 'fail');
    assert.equal(status('proxy'), 'fail');
    assert.equal(status('endpoint-wac'), 'warn'); // only the legacy wac.azure.com was probed
    assert.equal(status('wac-local-https'), 'fail');
    assert.equal(status('private-link'), 'warn');
    assert.equal(status('os-version'), 'pass');
    assert.equal(status('extension-status'), 'pass');
  });

  it('refuses other versions and non-objects, and tolerates a prompt line', () => {
    assert.throws(() => wacDoctorProbesParser.parse('{"wacDoctorProbes": 2}', ref), (e: unknown) => e instanceof ParseError && /this version reads 1/.test(e.message));
    assert.throws(() => wacDoctorProbesParser.parse('[1,2]', ref), ParseError);
    assert.throws(() => wacDoctorProbesParser.parse('{"wacDoctorProbes": 1, "endpoints": [', ref), ParseError);
    const r = wacDoctorProbesParser.parse(`PS C:\\> Get-Content probes.json\n{"wacDoctorProbes": 1, "createdAt": "x", "memoryTotalBytes": 1024}`, ref);
    assert.equal(r.observations.length, 1);
    assert.equal(r.observations[0]!.time, undefined, 'no time from an invalid createdAt');
    assert.deepEqual(wacDoctorProbesParser.parse('{"wacDoctorProbes": 1}', ref).warnings, ['the probes file records no results']);
  });

  it('bounds what it reads from an untrusted file', () => {
    const many = { wacDoctorProbes: 1, endpoints: Array.from({ length: 250 }, (_, i) => ({ host: `h${i}.example`, port: 443, tcp: { ok: true } })) };
    const r = wacDoctorProbesParser.parse(JSON.stringify(many), ref);
    assert.equal(r.observations.length, 200);
    assert.match(r.warnings![0]!, /250 endpoints; only the first 200/);
    const long = { wacDoctorProbes: 1, endpoints: [{ host: 'wac.azure.com', http: { status: 200, body: 'x'.repeat(100_000) } }] };
    const body = (wacDoctorProbesParser.parse(JSON.stringify(long), ref).observations[0]!.value as { http: { body: string } }).http.body;
    assert.ok(body.length <= 4097);
  });

  it('summarizes a probe in one line', () => {
    assert.equal(describeProbe({ host: 'wac.azure.com', port: 443, via: 'direct', dns: { status: 'nxdomain', addresses: [], resolver: '10.0.0.2' } }), 'wac.azure.com:443 direct; DNS NXDOMAIN via 10.0.0.2');
  });
});
