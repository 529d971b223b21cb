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
