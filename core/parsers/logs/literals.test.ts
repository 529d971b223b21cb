import { strict as assert } from 'node:assert';
import { prng } from '../../../test/support/prng';
import { gcBracket } from './gc-bracket';
import { LOGRUS_GRAMMARS, logrusText } from './logrus';
import { unionLiterals } from './literals';

/** The first index where one of `literals` occurs in `s` from `from`, or -1 (what a union regex's search finds). */
function firstLiteral(s: string, literals: readonly string[], from: number): number {
  let best = -1;
  for (const l of literals) {
    const i = s.indexOf(l, from);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}

describe('candidate literals (what a candidates regex is a union of)', () => {
  it('spells out classes and optional groups', () => {
    assert.deepEqual(unionLiterals(/level=[wefp]|Status(?: Code)?=2|\[WARN/g), ['level=w', 'level=e', 'level=f', 'level=p', 'Status=2', 'Status Code=2', '[WARN']);
    assert.deepEqual(unionLiterals(/[Vv]ersion|Exit Code/g), ['Version', 'version', 'Exit Code']);
  });

  it('refuses what is not a union of literals: escapes for classes, quantifiers, groups that must match, flags', () => {
    for (const re of [/\d{4}/g, /a+b/g, /(ab|cd)/g, /x.y/g, /[a-z]bc/g, /[^a]bc/g, /abc/gi, /ab|/g, /^abc/g, /a\sb/g, /(?:ab)/g, /(?:ab)?/g, /\bab/g]) {
      assert.equal(unionLiterals(re), undefined, re.source);
    }
  });

  it('every grammar with byte keys has literals the module takes (four characters or more)', () => {
    for (const g of [logrusText, gcBracket]) {
      const literals = unionLiterals(g.candidates);
      assert.ok(literals && literals.length > 5, g.id);
      for (const l of literals) assert.ok(l.length >= 4 && /^[\x20-\x7e]+$/.test(l), l);
    }
    assert.ok(unionLiterals(logrusText.candidates)!.includes('level=p'));
  });

  it('a grammar\'s regex and its literals find the same matches (random text of the literals\' characters)', () => {
    const r = prng(4242);
    for (const g of [...LOGRUS_GRAMMARS, gcBracket]) {
      const literals = unionLiterals(g.candidates);
      if (!literals) continue;
      const alphabet = [...new Set(literals.join('') + ' \n=')];
      const re = new RegExp(g.candidates.source, 'g');
      for (let n = 0; n < 400; n++) {
        // Text made of pieces of literals and single characters: near misses and overlaps are common.
        let s = '';
        while (s.length < 200) {
          const l = literals[Math.floor(r() * literals.length)]!;
          s += r() < 0.5 ? l.slice(0, 1 + Math.floor(r() * l.length)) : alphabet[Math.floor(r() * alphabet.length)];
        }
        let from = 0;
        for (;;) {
          re.lastIndex = from;
          const m = re.exec(s);
          const at = firstLiteral(s, literals, from);
          assert.equal(m ? m.index : -1, at, `${g.id}: ${JSON.stringify(s)} from ${from}`);
          if (!m) break;
          from = m.index + 1;
        }
      }
    }
  });
});
