import { strict as assert } from 'node:assert';
import { runRule } from '../../core/engine';
import { defineRule, pass } from '../../core/rule';
import { fact, storeWith, TEST_NOW } from '../../core/testing';

const versionRule = defineRule({
  meta: {
    id: 'test-version', title: 'test', category: 'agent', severity: 'fail', description: 'd', references: [],
    requires: ['agent.version'], anyOf: [['service.himds', 'service.himdsd']], appliesTo: ['live'],
  },
  check: (ctx) => pass(`version ${ctx.get('agent.version')}`),
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
