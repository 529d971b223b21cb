import { strict as assert } from 'node:assert';
import { inWords, runRule } from '../../core/engine/run';
import { RULES } from '../../rules';
import { defineRule, pass } from '../../core/engine/rule';
import { fact, storeWith, TEST_NOW } from '../support/testing';

const versionRule = defineRule({
  meta: {
    id: 'test-version', title: 'test', category: 'agent', severity: 'fail', description: 'd', references: [],
    requires: ['agent.version'], anyOf: [['service.himds', 'service.himdsd']], appliesTo: ['live'],
  },
  check: (ctx) => pass(`version ${ctx.get('agent.version')}`),
});

describe('engine: skip hints and superseded notes (issue 9 items 10, 15)', () => {
  const skipOf = (id: string): string => runRule(RULES.find((r) => r.meta.id === id)!, storeWith(), { now: TEST_NOW, sourceKinds: new Set(['pasted']) }).message;

  it('names only sources that supply the fact, and no doubled -j', () => {
    const pas = skipOf('endpoint-pas');
    assert.match(pas, /Test-NetConnection -ComputerName pas\.windows\.net -Port 443/);
    assert.match(pas, /azcmagent check/);
    assert.doesNotMatch(pas, /Invoke-RestMethod|waconazure/, 'a WAC endpoint probe says nothing of pas.windows.net');
    assert.match(skipOf('endpoint-wac'), /Invoke-RestMethod https:\/\/<region>\.service\.waconazure\.com/);
    for (const rule of RULES) assert.doesNotMatch(skipOf(rule.meta.id), /-j\)? -j|-j -j/, rule.meta.id);
  });

  it('renders a superseded value in words, never as JSON', () => {
    assert.equal(inWords({ ok: false, error: 'dial tcp 1.2.3.4:443: i/o timeout' }), 'failing (dial tcp 1.2.3.4:443: i/o timeout)');
    assert.equal(inWords({ ok: true }), 'reached');
    assert.equal(inWords([6516, 22]), '[6516, 22]');
    assert.equal(inWords({ name: 'x', nested: { a: 1 } }), undefined);
    const probeRule = defineRule({
      meta: { id: 'test-probe', title: 't', category: 'network', severity: 'fail', description: 'd', references: [], requires: ['probe.pas.windows.net'], appliesTo: ['pasted'] },
      check: (ctx) => pass(`probe ${ctx.get('probe.pas.windows.net') ? 'read' : 'missing'}`),
    });
    const store = storeWith(
      fact('probe.pas.windows.net', { host: 'pas.windows.net', port: 443, reachable: false, tcp: { ok: false, error: 'i/o timeout' } }, '2026-11-26T10:00:00Z'),
      fact('probe.pas.windows.net', { host: 'pas.windows.net', port: 443, reachable: true, tcp: { ok: true } }, '2026-11-26T11:00:00Z'),
    );
    const f = runRule(probeRule, store, { now: TEST_NOW });
    assert.match(f.message, /probe\.pas\.windows\.net (tcp was failing \(i\/o timeout\)|reachable was false)/, f.message);
    assert.doesNotMatch(f.message, /[{}"]/, f.message);
  });
});

describe('engine', () => {
  it('skips naming every missing fact and where to get it', () => {
    const f = runRule(versionRule, storeWith(), { now: TEST_NOW, sourceKinds: new Set(['pasted']) });
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['agent.version', 'service.himds | service.himdsd']);
    assert.match(f.message, /Connected Machine agent version \(agent\.version; from azcmagent show/);
    assert.match(f.message, /; and service state \(service\.himds or service\.himdsd; from sc query or Get-Service/);
    assert.match(f.message, /This check needs a live check on the machine\./);
  });

  it('runs when requirements are met and attaches the evidence of facts read', () => {
    const f = runRule(versionRule, storeWith(fact('agent.version', '1.40.0'), fact('service.himdsd', { name: 'himdsd', state: 'running' })), { now: TEST_NOW });
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'version 1.40.0');
    assert.equal(f.evidence.length, 1);
    assert.equal(f.docsUrl, 'https://github.com/wac-doctor/wac-doctor/blob/main/docs/rules/test-version.md');
  });

  it('a throwing rule is an error for itself alone', () => {
    const broken = defineRule({ ...versionRule, check: () => { throw new Error('boom'); } });
    const f = runRule(broken, storeWith(fact('agent.version', '1'), fact('service.himds', { name: 'himds', state: 'running' })), { now: TEST_NOW });
    assert.equal(f.status, 'error');
    assert.match(f.message, /boom/);
  });

  it('mentions an older disagreeing value it ignored', () => {
    const store = storeWith(
      fact('agent.version', '1.30.0', '2025-01-01T00:00:00Z', { source: 'pasted', path: 'old-show.txt', line: 4 }),
      fact('agent.version', '1.40.0', '2026-01-01T00:00:00Z'),
      fact('service.himds', { name: 'himds', state: 'running' }),
    );
    const f = runRule(versionRule, store, { now: TEST_NOW });
    assert.match(f.message, /^version 1\.40\.0 \(agent\.version was 1\.30\.0 in old-show\.txt at 2025-01-01T00:00:00Z; the newer value was used\.\)$/);
  });

  it('rejects rule ids that are not kebab-case', () => {
    assert.throws(() => defineRule({ ...versionRule, meta: { ...versionRule.meta, id: 'Bad_Id' } }), /kebab-case/);
  });
});

describe('engine: disagreement notes', () => {
  it('names the differing field of an object fact', () => {
    const rule = defineRule({
      meta: { id: 'svc', title: 't', category: 'agent', severity: 'fail', description: 'd', references: [], requires: ['service.himds'], appliesTo: ['pasted'] },
      check: (ctx) => pass(`himds ${ctx.get('service.himds')!.state}`),
    });
    const store = storeWith(
      fact('service.himds', { name: 'himds', state: 'stopped' }, undefined, { source: 'pasted', path: 'sc.txt', line: 3 }),
      fact('service.himds', { name: 'himds', state: 'running', displayName: 'Agent Service' }, '2026-01-01T00:00:00Z'),
    );
    assert.equal(runRule(rule, store, { now: TEST_NOW }).message, 'himds running (service.himds state was stopped in sc.txt; the newer value was used.)');
  });
});
