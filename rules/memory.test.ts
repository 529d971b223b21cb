import { strict as assert } from 'node:assert';
import rule from './memory';
import { fact, runRuleOn } from '../test/support/testing';

const GIB = 1024 ** 3;

describe('rule memory', () => {
  it('passes with 3 GiB or more, naming the amount', () => {
    const f = runRuleOn(rule, fact('memory.totalBytes', 8 * GIB));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The machine has 8.0 GiB of physical memory (at least 3 GiB is needed).');
    assert.equal(runRuleOn(rule, fact('memory.totalBytes', 3 * GIB)).status, 'pass');
  });

  it('fails below 3 GiB with the amount in GiB to one decimal', () => {
    const f = runRuleOn(rule, fact('memory.totalBytes', 2 * GIB + 512 * 1024 ** 2));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The machine has 2.5 GiB of physical memory; Windows Admin Center needs at least 3 GiB.');
    assert.match(f.fix!.summary, /at least 3 GiB/);
    assert.deepEqual(f.fix!.commands, []);
  });

  it('never prints 3.0 for an amount below the minimum', () => {
    const f = runRuleOn(rule, fact('memory.totalBytes', Math.floor(2.95 * GIB)));
    assert.doesNotMatch(f.message, /3\.0 GiB/);
  });

  it('warns when just under 3 GiB (reserved memory on a 3 GB machine)', () => {
    const f = runRuleOn(rule, fact('memory.totalBytes', 3 * GIB - 20 * 1024 ** 2));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'The machine reports 2.98 GiB of physical memory, just under the 3 GiB minimum; this is likely a 3 GB machine minus reserved memory, right at the limit.');
  });

  it('warns on an unusable value', () => {
    const f = runRuleOn(rule, fact('memory.totalBytes', 0));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /\(0 bytes\) is not a usable amount/);
  });

  it('skips without the memory fact', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.67.03504.3207'));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['memory.totalBytes']);
    assert.match(f.message, /physical memory/);
  });
});
