import { strict as assert } from 'node:assert';
import { DEFAULT_SETTINGS, readSettings } from './settings';

const RULES = ['incoming-ports', 'wac-port'];
const read = (values: Record<string, unknown>): ReturnType<typeof readSettings> => readSettings((k) => values[k], RULES);

describe('extension settings', () => {
  it('defaults when nothing is set', () => {
    assert.deepEqual(read({}), { settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('takes valid values', () => {
    const { settings, problems } = read({
      wacPort: 6600, proxy: 'http://proxy.contoso.com:8080', probeTimeoutMs: 2000, dnsServers: ['10.0.0.2', '[::1]:5353'], disabledRules: ['wac-port'], failOn: 'warn', redact: false,
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      wacPort: 6600, proxy: 'http://proxy.contoso.com:8080', probeTimeoutMs: 2000, dnsServers: ['10.0.0.2', '[::1]:5353'], disabledRules: ['wac-port'], failOn: 'warn', redact: false,
    });
  });

  it('refuses bad values with one message each and keeps the defaults', () => {
    const { settings, problems } = read({ wacPort: 70000, proxy: 'socks5://x:1', probeTimeoutMs: 5, dnsServers: ['dns.contoso.com', 53], disabledRules: ['nope', 'wac-port'], failOn: 'error' });
    assert.deepEqual(settings, { ...DEFAULT_SETTINGS, disabledRules: ['wac-port'] });
    assert.equal(problems.length, 7);
    assert.match(problems.join('\n'), /wacDoctor\.dnsServers: "dns\.contoso\.com" is not address\[:port\]/);
    assert.match(problems[0]!, /^wacDoctor\.wacPort: 70000 is not a port/);
    assert.match(problems.join('\n'), /unknown rule id "nope"/);
  });
});
