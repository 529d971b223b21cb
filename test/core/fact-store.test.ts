import { strict as assert } from 'node:assert';
import { FactStore } from '../../core/engine/fact-store';
import { observe } from '../../core/model/facts';
import { testEvidence } from '../support/testing';

describe('FactStore', () => {
  it('newest observation wins and the older disagreeing one is kept', () => {
    const s = new FactStore();
    s.add(observe('agent.version', '1.36.0', testEvidence('new.txt'), '2026-01-02T00:00:00Z'));
    s.add(observe('agent.version', '1.30.0', testEvidence('old.txt'), '2025-01-02T00:00:00Z'));
    const r = s.resolve('agent.version')!;
    assert.equal(r.value, '1.36.0');
    assert.equal(r.evidence[0]!.path, 'new.txt');
    assert.equal(r.superseded.length, 1);
    assert.equal(r.superseded[0]!.value, '1.30.0');
  });

  it('a timed observation beats an untimed one; untimed ties go to the later input', () => {
    const s = new FactStore();
    s.add(observe('agent.status', 'Connected', testEvidence('a'), '2026-01-01T00:00:00Z'), observe('agent.status', 'Disconnected', testEvidence('b')));
    assert.equal(s.get('agent.status'), 'Connected');
    const t = new FactStore();
    t.add(observe('agent.status', 'Connected', testEvidence('a')), observe('agent.status', 'Disconnected', testEvidence('b')));
    assert.equal(t.get('agent.status'), 'Disconnected');
  });

  it('agreeing observations are not reported as superseded', () => {
    const s = new FactStore();
    s.add(observe('agent.cloud', 'AzureCloud', testEvidence('a')), observe('agent.cloud', 'AzureCloud', testEvidence('b')));
    assert.deepEqual(s.resolve('agent.cloud')!.superseded, []);
  });

  it('merges probe observations field by field, newer fields over older', () => {
    const s = new FactStore();
    s.add(observe('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, reachable: true }, testEvidence('check.txt')));
    s.add(observe('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, http: { status: 200, body: 'home' } }, testEvidence('irm.txt')));
    const r = s.resolve('probe.wac.azure.com')!;
    assert.deepEqual(r.value, { host: 'wac.azure.com', port: 443, reachable: true, http: { status: 200, body: 'home' } });
    assert.deepEqual(r.evidence.map((e) => e.path), ['check.txt', 'irm.txt']);
    assert.equal(r.superseded.length, 0);
  });

  it('concatenates list facts without duplicates', () => {
    const s = new FactStore();
    s.add(observe('agent.errorCodes', [{ code: 'AZCM0026' }], testEvidence('a')), observe('agent.errorCodes', [{ code: 'AZCM0026' }, { code: 'AZCM0041' }], testEvidence('b')));
    assert.deepEqual(s.get('agent.errorCodes'), [{ code: 'AZCM0026' }, { code: 'AZCM0041' }]);
  });

  it('matches keyed facts with wildcards, case-insensitively', () => {
    const s = new FactStore();
    s.add(observe('probe.azgn-weu-1.servicebus.windows.net', { host: 'azgn-weu-1.servicebus.windows.net', port: 443 }, testEvidence()));
    s.add(observe('probe.pas.windows.net', { host: 'pas.windows.net', port: 443 }, testEvidence()));
    assert.deepEqual(s.match('probe.*.servicebus.windows.net'), ['probe.azgn-weu-1.servicebus.windows.net']);
    assert.deepEqual(s.match('probe.PAS.windows.net'.toLowerCase()), ['probe.pas.windows.net']);
    assert.deepEqual(s.match('probe.*.wac.azure.com'), []);
  });
});

describe('FactStore.latestTime', () => {
  it('is the newest stated time, or undefined when no input states one', () => {
    const s = new FactStore();
    assert.equal(s.latestTime(), undefined);
    s.add(observe('agent.status', 'Connected', testEvidence('a')));
    assert.equal(s.latestTime(), undefined);
    s.add(observe('agent.version', '1.5', testEvidence('b'), '2026-03-01T00:00:00Z'), observe('agent.cloud', 'AzureCloud', testEvidence('c'), '2026-01-01T00:00:00Z'));
    assert.equal(s.latestTime()!.toISOString(), '2026-03-01T00:00:00.000Z');
  });
});

describe('FactStore disagreements', () => {
  it('services merge fields; only state and start type count as disagreement', () => {
    const s = new FactStore();
    s.add(observe('service.himds', { name: 'himds', displayName: 'Azure Hybrid Instance Metadata Service', state: 'running' }, testEvidence('get-service.txt')));
    s.add(observe('service.himds', { name: 'himds', displayName: 'Agent Service', state: 'running' }, testEvidence('show.txt'), '2026-01-01T00:00:00Z'));
    assert.deepEqual(s.resolve('service.himds')!.superseded, []);
    s.add(observe('service.himds', { name: 'himds', state: 'stopped' }, testEvidence('sc.txt'), '2026-02-01T00:00:00Z'));
    const r = s.resolve('service.himds')!;
    assert.equal(r.value.state, 'stopped');
    assert.equal(r.value.displayName, 'Agent Service');
    assert.deepEqual(r.superseded.map((o) => o.evidence[0]!.path), ['get-service.txt', 'show.txt']);
  });
});
