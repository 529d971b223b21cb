import { strict as assert } from 'node:assert';
import { normalizeTime } from './record';
import { recordRaw } from './scanner';
import { LOG_GRAMMARS } from './log-file';
import { plainText } from './plain';
import { prng } from '../../../test/support/prng';

describe('record text and times (the fast paths give what the general ones do)', () => {
  it('recordRaw is the record without its final line break, CRLF inside as LF', () => {
    const r = prng(7);
    const alphabet = ['a', '\r', '\n', '\r\n', 'b '];
    for (let i = 0; i < 20000; i++) {
      let s = '';
      const n = Math.floor(r() * 12);
      for (let k = 0; k < n; k++) s += alphabet[Math.floor(r() * alphabet.length)];
      const a = Math.floor(r() * (s.length + 1));
      const b = a + Math.floor(r() * (s.length - a + 1));
      assert.equal(recordRaw(s, a, b), s.slice(a, b).replace(/\r?\n$/, '').replace(/\r(?=\n)/g, ''), JSON.stringify([s, a, b]));
    }
  });

  it('no candidate pattern can match a line break or nothing: the scanner finds a match\'s line from its last character', () => {
    for (const g of [...LOG_GRAMMARS, plainText]) {
      const { source, flags } = g.candidates;
      assert.doesNotMatch(source, /\\[sWDn]|\[\^|\\x0[aA]|\\u000[aA]|\n/, `${g.id}: a construct that matches a line break`);
      assert.ok(!flags.includes('s') && flags.includes('g'), `${g.id}: flags ${flags}`);
      assert.equal(new RegExp(source, flags.replace('g', '')).test(''), false, `${g.id}: matches nothing`);
    }
  });

  it('zone-less and UTC times read per minute equal Date.parse of the whole time, invalid ones included', () => {
    const r = prng(11);
    const two = (n: number): string => String(n).padStart(2, '0');
    for (let i = 0; i < 20000; i++) {
      const date = `${2020 + Math.floor(r() * 8)}-${two(Math.floor(r() * 14))}-${two(Math.floor(r() * 33))}`;
      const time = `${two(Math.floor(r() * 25))}:${two(Math.floor(r() * 61))}:${two(Math.floor(r() * 61))}`;
      const frac = ['', '.1', '.123', '.123456789', ',5'][Math.floor(r() * 5)]!;
      const raw = `${date}${r() < 0.5 ? ' ' : 'T'}${time}${frac}${r() < 0.3 ? 'Z' : ''}`;
      const ms = Date.parse(`${date}T${time}${frac.replace(',', '.').replace(/(\.\d{3})\d+$/, '$1')}Z`);
      // `...T...Z` takes the ISO UTC path (unchanged, not validated): not what this test is about.
      if (raw.includes('T') && raw.endsWith('Z')) continue;
      const want = Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
      assert.equal(normalizeTime(raw), want, raw);
    }
  });
});
