import { strict as assert } from 'node:assert';
import { parseCommandLine, parseTimeout, UsageError } from './args';

describe('command line', () => {
  it('parses analyze with rule selection', () => {
    assert.deepEqual(parseCommandLine(['analyze', '--only', 'a,b', '--only', 'c', '-p', '443', '--fail-on', 'warn', 'x.txt', 'y.zip']), {
      command: 'analyze', paths: ['x.txt', 'y.zip'], format: 'text', color: undefined, verbose: false, redact: true, sarifAll: false,
      failOn: 'warn', only: ['a', 'b', 'c'], port: 443,
    });
  });

  it('parses check with probe options', () => {
    const a = parseCommandLine(['check', '--timeout', '2.5s', '--resolve', 'wac.azure.com:443:127.0.0.1', '--dns-server', '127.0.0.1:5353', '-f', 'json']);
    assert.equal(a.command, 'check');
    if (a.command !== 'check') return;
    assert.equal(a.timeoutMs, 2500);
    assert.deepEqual(a.resolve, ['wac.azure.com:443:127.0.0.1']);
    assert.deepEqual(a.dnsServers, ['127.0.0.1:5353']);
    assert.equal(a.format, 'json');
  });

  it('collect needs --output and takes no report options', () => {
    assert.throws(() => parseCommandLine(['collect']), /needs --output/);
    assert.throws(() => parseCommandLine(['collect', '-o', 's.zip', '--format', 'json']), /--format does not apply to 'collect'/);
    const c = parseCommandLine(['collect', '-o', 's.zip', '--no-redact']);
    assert.deepEqual(c, { command: 'collect', output: 's.zip', force: false, redact: false, color: undefined, timeoutMs: 5000, resolve: [], connectTo: [], dnsServers: [] });
  });

  it('validates timeouts and the curl-style probe options early, as usage errors', () => {
    assert.equal(parseTimeout('5'), 5000);
    assert.equal(parseTimeout('800ms'), 800);
    for (const bad of ['0', '5m', '-1', 'abc', '700s']) assert.throws(() => parseTimeout(bad), UsageError, bad);
    const ok = parseCommandLine(['check', '--resolve', 'pas.windows.net:443:[::1]', '--dns-server', '[::1]:5353', '--connect-to', 'wac.azure.com:443:127.0.0.1:8443', '--region', 'westeurope']);
    assert.equal(ok.command, 'check');
    for (const [opt, bad] of [['--resolve', 'wac.azure.com:443'], ['--resolve', 'wac.azure.com:99999:127.0.0.1'], ['--resolve', 'wac.azure.com:443:not-an-ip'],
      ['--dns-server', 'dns.example:53'], ['--connect-to', 'a:1'], ['--region', 'west europe; rm']] as const) {
      assert.throws(() => parseCommandLine(['check', opt, bad]), (e: unknown) => e instanceof UsageError && e.message.includes(opt), `${opt} ${bad}`);
    }
  });

  it('rejects options that do not apply and unknown commands', () => {
    assert.throws(() => parseCommandLine(['analyze', '--timeout', '5', 'x']), /--timeout does not apply to 'analyze'/);
    assert.throws(() => parseCommandLine(['check', 'extra']), /'check' takes no arguments/);
    assert.throws(() => parseCommandLine(['nope']), /unknown command 'nope'/);
  });
});
