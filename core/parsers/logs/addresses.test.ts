import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { IDENTITY, socketAddresses, substitution } from './addresses';
import { prng } from '../../../test/support/prng';

describe('socket addresses (the memo across retries to new addresses)', () => {
  it('keeps no slice of the text it reads: a reading key may be a slice of a whole log block', () => {
    // In a child with the collector exposed: V8 flags set in this process would change its code caches' flag hash
    // (the CLI's code-cache test reads one in a fresh process).
    const script = `
      const { socketAddresses } = require(${JSON.stringify(require.resolve('./addresses'))});
      gc();
      const before = process.memoryUsage().heapUsed;
      const kept = [];
      for (let i = 0; i < 40; i++) {
        // A 1 MB block and a key sliced from it, its address long enough (13 characters) for V8 to slice it too.
        const block = 'x'.repeat(1000000) + ' dial tcp 20.50.101.' + (100 + i) + ':443: i/o timeout';
        kept.push(socketAddresses(block.slice(1000000 - 4)).ips);
      }
      gc();
      process.stdout.write(JSON.stringify({ last: kept[39][0], retained: process.memoryUsage().heapUsed - before }));`;
    const r = spawnSync(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', '-e', script], { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    const { last, retained } = JSON.parse(r.stdout) as { last: string; retained: number };
    assert.equal(last, '20.50.101.139');
    assert.ok(retained < 10_000_000, `${(retained / 1e6).toFixed(1)} MB kept for 40 addresses`);
  });

  it('blanks whole IPv4 socket addresses, keeping their length, and lists them in order', () => {
    const a = socketAddresses('dial tcp 20.50.101.41:443: i/o timeout; read tcp 10.0.0.4:50123->20.50.1.2:443: reset');
    assert.deepEqual(a?.ips, ['20.50.101.41', '10.0.0.4', '20.50.1.2']);
    assert.equal(a?.key, 'dial tcp \u0001<:443: i/o timeout; read tcp \u00018:50123->\u00019:443: reset');
    assert.equal(socketAddresses('https://20.1.2.3:8443/x')?.ips[0], '20.1.2.3');
  });

  it('leaves what is not an address with a port: versions, bare IPs, octets over 255, longer dotted runs, IMDS', () => {
    for (const text of [
      'Agent version 1.35.02478.1', 'AdminCenter extension 0.5.0.1 installed', 'ping 20.50.1.2 failed', 'dial tcp 20.50.1.256:443',
      'build 10.0.20348.1:5', 'x1.2.3.4:443', 'dial tcp 169.254.169.254:80: i/o timeout', '1.2.3:443', 'a 1.2.3.4:x',
    ]) assert.equal(socketAddresses(text), undefined, text);
  });

  it('substitutes the decided record\u2019s addresses by the record\u2019s own, swaps included, and refuses what is ambiguous', () => {
    const sub = substitution(['20.1.2.3', '20.9.9.9'], ['20.9.9.9', '20.1.2.4'])!;
    assert.equal(sub('dial tcp 20.1.2.3:443 then 20.9.9.9:443 (not 120.1.2.3:443)'), 'dial tcp 20.9.9.9:443 then 20.1.2.4:443 (not 120.1.2.3:443)');
    assert.equal(sub('no address here'), 'no address here');
    assert.equal(substitution(['20.1.2.3'], ['20.1.2.3']), IDENTITY);
    assert.equal(substitution(['20.1.2.3', '20.1.2.3'], ['20.1.2.4', '20.1.2.5']), undefined);
    assert.equal(substitution(['20.1.2.3'], ['20.1.2.33']), undefined);
    assert.equal(substitution(['20.1.2.3'], []), undefined);
  });

  it('finds what a left-to-right reading of the text finds (random texts of digits, dots, colons and words)', () => {
    // The reference: every position that starts a word with a digit, read as four octets <= 255 then `:digit`.
    const wordish = /[0-9A-Za-z._]/;
    const reference = (s: string): string[] => {
      const ips: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (!/[0-9]/.test(s[i]!) || (i > 0 && wordish.test(s[i - 1]!))) continue;
        const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![0-9]):(?=[0-9])/.exec(s.slice(i, i + 20));
        if (m && m.slice(1).every((o) => Number(o) <= 255) && !m[0].startsWith('169.254.')) {
          ips.push(m[0].slice(0, -1));
          i += m[0].length - 2;
        }
      }
      return ips;
    };
    const r = prng(5151);
    const parts = ['1', '20', '255', '256', '9', '.', '.', ':', ':443', '443', 'a', 'x_', ' ', '169.254.', '->', '-', '0', '20.50.', '1.2.3.4', '10.0.0.', 'tcp '];
    let found = 0;
    for (let i = 0; i < 20000; i++) {
      let s = '';
      for (let k = Math.floor(r() * 24); k > 0; k--) s += parts[Math.floor(r() * parts.length)];
      const want = reference(s);
      found += want.length;
      assert.deepEqual(socketAddresses(s)?.ips ?? [], want, JSON.stringify(s));
    }
    assert.ok(found > 200, `${found} addresses in the random texts`);
  });

  it('runs in one pass over long input (no backtracking on digit and dot runs)', () => {
    const long = `${'1.'.repeat(200_000)}1 ${'9'.repeat(200_000)}`;
    assert.equal(socketAddresses(long), undefined);
    assert.equal(socketAddresses(`${long} 20.1.2.3:443`)?.ips.length, 1);
  });
});
