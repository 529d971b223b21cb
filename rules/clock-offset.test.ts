import { strict as assert } from 'node:assert';
import rule from './clock-offset';
import { fact, runRuleOn } from '../test/support/testing';

describe('rule clock-offset', () => {
  it('passes within 120 seconds', () => {
    const f = runRuleOn(rule, fact('clock', { offsetSeconds: -0.0004521, source: 'dc01.corp.contoso.com' }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The machine clock is 0.000 s off its time source (dc01.corp.contoso.com) (at most 120 s is fine).');
    assert.equal(runRuleOn(rule, fact('clock', { offsetSeconds: 120 })).status, 'pass');
  });

  it('fails beyond 120 seconds either way, with a resync fix', () => {
    const f = runRuleOn(rule, fact('clock', { offsetSeconds: -183.2345678, source: 'time.windows.com' }));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^The machine clock is 183 s off its time source \(time\.windows\.com\), more than 120 s/);
    assert.ok(f.fix!.commands.some((c) => c.command === 'w32tm /resync /force'));
    assert.equal(runRuleOn(rule, fact('clock', { offsetSeconds: 121 })).status, 'fail');
  });

  it('warns when the clock is not synchronized', () => {
    const f = runRuleOn(rule, fact('clock', { source: 'Local CMOS Clock', unsynchronized: true }));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /^The clock is not synchronized \(Local CMOS Clock\)/);
    assert.equal(runRuleOn(rule, fact('clock', { offsetSeconds: 3, unsynchronized: true })).status, 'warn');
  });

  it('skips without an offset from a synchronized source, and without clock data', () => {
    assert.equal(runRuleOn(rule, fact('clock', { source: 'dc01' })).status, 'skip');
    const f = runRuleOn(rule);
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['clock']);
  });
});
