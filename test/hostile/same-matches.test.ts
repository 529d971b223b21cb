/**
 * The linear scanners and rewritten patterns match exactly what the backtracking regexes they replace matched.
 * The old regexes are kept here (on short lines they are fast) and compared on seeded random lines built from
 * the characters each pattern cares about.
 */
import { strict as assert } from 'node:assert';
import { afterFailed } from '../../core/parsers/logs/endpoints';
import { gcBracket } from '../../core/parsers/logs/gc-bracket';
import { oneLine } from '../../core/parsers/logs/record';
import { pairsStart } from '../../core/parsers/logs/logrus';
import { lineRest } from '../../core/parsers/parser';
import { labelLine, serviceRow, toIsoTime } from '../../core/parsers/azcmagent-show';
import { parseTlsColumn } from '../../core/parsers/azcmagent-check';
import { normalizeConfigKey } from '../../core/parsers/azcmagent-config';
import { listLine } from '../../core/parsers/get-service';
import { regValueLine } from '../../core/parsers/reg-query';
import { describeBody } from '../../rules/support/probe-verdict';

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function random(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const CASES = 20_000;

/** `compare(old, new)` on CASES lines of up to `max` pieces of `alphabet`; returns how many lines the old one matched. */
function same(seed: number, alphabet: readonly string[], max: number, old: (s: string) => unknown, now: (s: string) => unknown): number {
  const rnd = random(seed);
  let matched = 0;
  for (let k = 0; k < CASES; k++) {
    let s = '';
    for (let n = rnd(max + 1); n > 0; n--) s += alphabet[rnd(alphabet.length)];
    const expected = old(s);
    if (expected !== undefined && expected !== null && expected !== false && expected !== -1) matched++;
    assert.deepEqual(now(s), expected, JSON.stringify(s));
  }
  return matched;
}

describe('hostile input: the linear rewrites match what the old regexes matched', () => {
  it('Format-List lines (LIST_LINE_RE)', () => {
    const re = /^([A-Za-z][\w.()\- ]*?)\s+:(?:[ \t](.*?))?\s*$/;
    const n = same(1, ['A', 'a', ' ', '  ', '\t', ':', ' : ', '.', '(', ')', '-', 'x', '\u2028', '\u00a0', '#'], 12,
      (s) => { const m = re.exec(`N${s}`); return m ? { key: m[1]!.trim(), value: (m[2] ?? '').trim() } : undefined; },
      (s) => { const m = listLine(`N${s}`); return m ? { key: m.key.trim(), value: m.value.trim() } : undefined; });
    assert.ok(n > 500, `${n} matches`);
  });

  it('reg query values (VALUE_RE)', () => {
    const re = /^\s+(\S.*?)(?: {2,}|\t)(REG_[A-Z0-9_]+)(?:(?: {2,}|\t)(.*?))?\s*$/;
    const n = same(2, [' ', '  ', '\t', 'REG_', 'REG_SZ', 'SZ', 'a', 'b', '\u2028', 'x', '_'], 10,
      (s) => { const m = re.exec(` ${s}`); return m ? { name: m[1], type: m[2], data: m[3] ?? '' } : undefined; },
      (s) => regValueLine(` ${s}`));
    assert.ok(n > 200, `${n} matches`);
  });

  it('sc query SERVICE_NAME values', () => {
    const re = /^\s*SERVICE_NAME\s*:\s*(\S.*?)\s*$/;
    same(3, [' ', '\t', 'SERVICE_NAME', ':', 'a', '\u2028', 'b c'], 7, (s) => re.exec(s)?.[1], (s) => {
      const m = /^\s*SERVICE_NAME\s*:/.exec(s);
      const v = m ? lineRest(s.slice(m[0].length)) : undefined;
      return v === '' ? undefined : v;
    });
  });

  it('azcmagent show labels and service rows (LABEL_LINE, SERVICE_ROW)', () => {
    const label = /^\s*([^:]+?)\s*:(.*)$/;
    same(4, [' ', '\t', ':', 'a', 'Agent', '\u2028', '('], 8,
      (s) => { const m = label.exec(s); return m ? { label: m[1]!.trim(), value: m[2] } : undefined; }, labelLine);
    const row = /^\s*(.*?)\s*\(([\w.-]+)\)\s*:\s*(.*?)\s*$/;
    const n = same(5, [' ', '\t', ':', 'a', '(', ')', 'b.c', '-', 'x y', '(himds)', ' : '], 9,
      (s) => { const m = row.exec(s); return m ? { displayName: m[1], name: m[2], state: m[3] } : undefined; }, serviceRow);
    assert.ok(n > 200, `${n} matches`);
  });

  it('Go times, TLS columns and config keys', () => {
    /** toIsoTime as it was. */
    const oldIsoTime = (raw: string): string | undefined => {
      const t = raw.trim();
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i.test(t)) return t;
      const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*(Z|[+-]\d{2}:?\d{2})?(?:\s+[A-Z]{2,5})?$/i.exec(t);
      if (m) {
        const tz = !m[3] || /^z$/i.test(m[3]) ? 'Z' : m[3].length === 5 ? `${m[3].slice(0, 3)}:${m[3].slice(3)}` : m[3];
        const iso = `${m[1]}T${m[2]}${tz === '+00:00' ? 'Z' : tz}`;
        return Number.isNaN(Date.parse(iso)) ? undefined : iso;
      }
      const ms = Date.parse(t);
      return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
    };
    same(6, [' ', 'Z', '+01:00', 'UTC', 'x', '\t', '+0100', 'ZZ'], 4, (s) => oldIsoTime(`2024-01-01 00:00:00${s}`), (s) => toIsoTime(`2024-01-01 00:00:00${s}`));
    const tls = /^\s*tls\s*v?\s*(1)(?:\.([0-3]))?\s*$/i;
    same(7, [' ', 'tls', 'v', '1', '.2', '\t', 'TLS', 'x'], 6,
      (s) => { const m = tls.exec(s); return m ? { ok: true, protocol: `TLS ${m[1]}.${m[2] ?? '0'}` } : undefined; },
      (s) => { const t = parseTlsColumn(s); return t?.protocol ? t : undefined; });
    same(8, ['a.b', ' ', '(preview)', '(PREVIEW)', '\t', 'x'], 5, (s) => s.trim().replace(/\s*\(preview\)\s*$/i, '').toLowerCase(), normalizeConfigKey);
  });

  it('logrus pairs, record text on one line, the error after "failed:"', () => {
    same(9, [' ', '  ', '\t', 'a', 'k=', 'k="', '=', '"', 'a.b/c', '1', '-', '\n'], 10,
      (s) => s.search(/\s{2,}[A-Za-z_][\w.\-/]*=|\s[A-Za-z_][\w.\-/]*="/), pairsStart);
    same(10, [' ', '\n', '\t', 'a', '\r', '\u2028'], 10, (s) => (s.includes('\n') ? s.replace(/\s*\n\s*/g, ' ') : s), oneLine);
    same(11, [' ', '\n', 'failed:', 'Failed:', 'a', 'xfailed:', '\u2028', '\t'], 8, (s) => /\bfailed:\s*(\S.*)$/i.exec(s)?.[1], afterFailed);
  });

  it('GuestConfig records (RECORD)', () => {
    const re = /^(?:<GCLOG>)?\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:[.,]\d+)?)\]\s*\[PID (\d+)\]\s*\[TID (\d+)\]\s*\[([^\]]*)\]\s*\[([A-Za-z]+)\]\s*(?:\[([0-9a-fA-F-]{36})\]\s*)?([\s\S]*?)(?:<\/GCLOG>)?\s*$/;
    const head = '[2024-01-01 00:00:00.1] [PID 1] [TID 2] [Pull Client] [ERROR]';
    const n = same(12, [' ', '\n', '', '[0123abcd-0123-0123-0123-0123456789ab]', 'm', '</GCLOG>', '<', '\t', 'x y', ']'], 8,
      (s) => { const m = re.exec(head + s); return m ? { msg: m[7]!.replace(/<\/GCLOG>/g, '').trim(), activity: m[6] } : undefined; },
      (s) => { const r = gcBracket.parse(head + s); return r ? { msg: r.msg, activity: r.fields.ActivityId } : undefined; });
    assert.equal(n, CASES);
  });

  it('HTTP bodies described by their title or text', () => {
    const old = (body: string): string => {
      const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1];
      const text = (title ?? body.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
      return text ? `"${text}"` : 'an empty body';
    };
    same(13, ['<', '>', '<title', '<TITLE x', '</title>', '</TITLE>', 'a', ' ', '\n', 'b c'], 10, old, (s) => describeBody(s, 1000));
  });
});
