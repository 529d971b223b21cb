import { strict as assert } from 'node:assert';
import { prng } from '../../../test/support/prng';
import { isVolatileField, isVolatileSpan, normalizeTime } from './record';

describe('record helpers', () => {
  it('normalizeTime reads whole UTC seconds as the general ISO form does (random near-times)', () => {
    // The reading of `YYYY-MM-DDTHH:MM:SS(.fff)Z` before the by-character fast path, as the reference.
    const reference = (raw: string): string | undefined => {
      const u = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(raw);
      return u ? `${u[1]}.${(u[2] ?? '').slice(0, 3).padEnd(3, '0')}Z` : undefined;
    };
    const r = prng(4242);
    const alphabet = '0123456789-:TZ x';
    let plain = 0;
    for (let i = 0; i < 20000; i++) {
      const chars = [...'2025-06-03T14:07:12Z'];
      // One to three characters changed: most results stay near the form, so both sides are exercised.
      for (let k = Math.floor(r() * 3); k >= 0; k--) chars[Math.floor(r() * chars.length)] = alphabet[Math.floor(r() * alphabet.length)]!;
      const raw = chars.join('');
      const ref = reference(raw);
      if (ref !== undefined) {
        plain++;
        assert.equal(normalizeTime(raw), ref, raw);
      } else if (raw.includes('x')) assert.equal(normalizeTime(raw), undefined, raw);
    }
    assert.ok(plain > 2000, `${plain} plain times`);
    assert.equal(normalizeTime('2025-06-03T14:07:12Z'), '2025-06-03T14:07:12.000Z');
    assert.equal(normalizeTime('2025-06-03T14:07:1xZ'), undefined);
  });

  it('normalizeTime reads GuestConfig times in the minute before as the Date-based reading does (random sequences)', () => {
    // Zone-less times read as UTC, by Date alone: the reference for every path of normalizeTime on these forms.
    const reference = (raw: string): string | undefined => {
      const m = /^(\d{4}-\d{2}-\d{2})[T ]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:[.,](\d{1,9}))?$/.exec(raw);
      if (!m) return undefined;
      const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${(m[5] ?? '').slice(0, 3).padEnd(3, '0')}Z`);
      return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
    };
    const r = prng(9090);
    const pick = (xs: readonly string[]): string => xs[Math.floor(r() * xs.length)]!;
    let checked = 0;
    for (let i = 0; i < 20000; i++) {
      // Runs of times in a few minutes, in both separators, with odd fractions, seconds and dates among them.
      const raw = `${pick(['2025-02-07', '2025-02-07', '2025-02-08', '2025-13-07', '2025-02-30'])}${pick([' ', ' ', ' ', 'T'])}${pick(['11:47', '11:47', '11:48', '24:00', '23:59'])}:${pick(['00', '07', '58', '59', '60', '6x'])}${pick(['.101', '.101', '.000', ',101', '.1', '.1234', '', '.x01'])}`;
      const want = reference(raw);
      const got = normalizeTime(raw);
      if (want !== undefined) {
        checked++;
        assert.equal(got, want, raw);
      } else if (/x|:60/.test(raw)) assert.equal(got, undefined, raw);
    }
    assert.ok(checked > 5000, `${checked} times read`);
    assert.equal(normalizeTime('2025-02-07 11:47:58.101'), '2025-02-07T11:47:58.101Z');
    assert.equal(normalizeTime('2025-02-07 11:47:58.10x'), undefined);
  });

  it('volatile field names are found in any ASCII case, in a span or whole, and nothing else is', () => {
    assert.ok(isVolatileField('RequestId'));
    assert.ok(isVolatileField('REQUESTID'));
    assert.ok(isVolatileField('x-ms-request-id'));
    assert.ok(isVolatileSpan('a Duration=5', 2, 10));
    assert.ok(!isVolatileSpan('a Duration=5', 2, 9));
    assert.ok(!isVolatileField('Request'));
    assert.ok(!isVolatileField('RequestIds'));
    assert.ok(!isVolatileField('Status'));
    assert.ok(!isVolatileField(''));
  });
});
