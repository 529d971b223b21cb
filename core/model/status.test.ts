import { strict as assert } from 'node:assert';
import {
  countStatuses, exitCodeOf, failsUnder, isProblem, problemCount, SEVERITY_RANK, STATUS_LABELS, STATUS_MARKS, STATUS_ORDER, STATUS_WORDS,
  STATUSES, summaryLine, worst, type StatusCounts,
} from './status';
import type { Status } from './types';

const counts = (c: Partial<StatusCounts>): StatusCounts => ({ pass: 0, fail: 0, warn: 0, skip: 0, error: 0, ...c });

describe('status policy (core/model/status)', () => {
  it('report order: fail, warn, error, pass, skip; severity puts error first', () => {
    assert.deepEqual(STATUSES, ['fail', 'warn', 'error', 'pass', 'skip']);
    assert.deepEqual([...STATUSES].sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b]), ['error', 'fail', 'warn', 'pass', 'skip']);
    assert.equal(worst(['pass', 'warn', 'skip']), 'warn');
    assert.equal(worst(['fail', 'error']), 'error');
    assert.equal(worst([]), undefined);
    for (const table of [STATUS_ORDER, SEVERITY_RANK, STATUS_MARKS, STATUS_LABELS, STATUS_WORDS]) assert.deepEqual(Object.keys(table).sort(), [...STATUSES].sort());
  });

  it('one mark per status, all different', () => {
    assert.equal(new Set(Object.values(STATUS_MARKS)).size, 5);
    assert.deepEqual(STATUS_MARKS, { pass: '✓', fail: '✗', warn: '!', error: '☠', skip: '?' });
  });

  it('problems are fail, warn and error', () => {
    assert.deepEqual(STATUSES.filter((s) => isProblem(s)), ['fail', 'warn', 'error']);
    assert.equal(isProblem({ status: 'skip' }), false);
    assert.equal(problemCount(counts({ fail: 1, warn: 2, error: 3, pass: 9, skip: 9 })), 6);
  });

  it('fail-on: errors and failures always fail; warnings only with --fail-on warn', () => {
    const failing = (failOn: 'fail' | 'warn'): Status[] => STATUSES.filter((s) => failsUnder(s, failOn));
    assert.deepEqual(failing('fail'), ['fail', 'error']);
    assert.deepEqual(failing('warn'), ['fail', 'warn', 'error']);
    assert.equal(exitCodeOf([counts({ warn: 3, pass: 1 })], 'fail'), 0);
    assert.equal(exitCodeOf([counts({ warn: 3, pass: 1 })], 'warn'), 1);
    assert.equal(exitCodeOf([counts({ pass: 1 }), counts({ error: 1 })], 'fail'), 1);
    assert.equal(exitCodeOf([], 'warn'), 0);
  });

  it('the summary line: every count in report order, singular and plural; compact form leaves zeros out', () => {
    assert.equal(summaryLine(counts({ fail: 3, warn: 2, error: 1, pass: 5, skip: 2 })), '3 failed, 2 warnings, 1 error, 5 passed, 2 skipped');
    assert.equal(summaryLine(counts({ warn: 1 }), { separator: ' · ' }), '0 failed · 1 warning · 0 errors · 0 passed · 0 skipped');
    assert.equal(summaryLine(counts({ error: 2, pass: 1 }), { separator: ' · ', omitZero: true }), '2 errors · 1 passed');
    assert.equal(summaryLine(counts({}), { omitZero: true }), 'no checks ran');
    assert.deepEqual(countStatuses([{ status: 'pass' }, { status: 'pass' }, { status: 'skip' }]), counts({ pass: 2, skip: 1 }));
  });
});
