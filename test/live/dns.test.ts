import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deadline } from '../../core/sources/live/deadline';
import { chooseAnswer, readHostsFile, resolveWith, systemResolvers, type ResolverAnswer } from '../../core/sources/live/dns';
import { TestDnsServer } from './harness/dns-server';
import { closedPort } from './harness/servers';

describe('live dns (dns-packet against a loopback resolver)', () => {
  let dns: TestDnsServer;
  const server = () => ({ address: '127.0.0.1', port: dns.port });

  before(async () => {
    dns = await new TestDnsServer({
      'wac.azure.com': { kind: 'answer', cname: ['wac-prod.trafficmanager.net', 'wac-weu.cloudapp.net'], addresses: ['20.50.2.1', '2603:1020::1'] },
      'pas.windows.net': { kind: 'nxdomain' },
      'management.azure.com': { kind: 'servfail' },
      'login.microsoftonline.com': { kind: 'refused' },
      'gbl.his.arc.azure.com': { kind: 'answer', addresses: ['10.1.2.3'] },
      'silent.example': { kind: 'silent' },
      'big.example': { kind: 'truncate', addresses: ['20.0.0.1', '20.0.0.2', '20.0.0.3'] },
      'nodata.example': { kind: 'answer', addresses: [] },
    }).start();
  });
  after(() => dns.stop());

  it('returns a public answer with its CNAME chain, A and AAAA', async () => {
    const a = await resolveWith('wac.azure.com', server(), new Deadline(2000));
    assert.equal(a.status, 'ok');
    assert.deepEqual(a.cname, ['wac-prod.trafficmanager.net', 'wac-weu.cloudapp.net']);
    assert.deepEqual(a.addresses, ['20.50.2.1', '2603:1020::1']);
    assert.equal(a.private, false);
    assert.equal(a.resolver, `127.0.0.1:${dns.port}`);
    assert.equal(a.transport, 'udp');
  });

  it('reports NXDOMAIN, SERVFAIL and REFUSED as such', async () => {
    const d = new Deadline(2000);
    const [nx, sf, rf] = await Promise.all(['pas.windows.net', 'management.azure.com', 'login.microsoftonline.com'].map((n) => resolveWith(n, server(), d)));
    assert.equal(nx!.status, 'nxdomain');
    assert.equal(sf!.status, 'servfail');
    assert.equal(rf!.status, 'refused');
    for (const r of [nx, sf, rf]) assert.deepEqual(r!.addresses, []);
  });

  it('flags private answers', async () => {
    const a = await resolveWith('gbl.his.arc.azure.com', server(), new Deadline(2000));
    assert.equal(a.status, 'ok');
    assert.deepEqual(a.addresses, ['10.1.2.3']);
    assert.equal(a.private, true);
  });

  it('says ok with no records for NODATA', async () => {
    const a = await resolveWith('nodata.example', server(), new Deadline(2000));
    assert.equal(a.status, 'ok');
    assert.deepEqual(a.addresses, []);
    assert.equal(a.error, 'no A or AAAA records');
  });

  it('retries over TCP when the UDP answer is truncated', async () => {
    const before = dns.queries.length;
    const a = await resolveWith('big.example', server(), new Deadline(2000));
    assert.equal(a.status, 'ok');
    assert.equal(a.transport, 'tcp');
    assert.deepEqual(a.addresses, ['20.0.0.1', '20.0.0.2', '20.0.0.3']);
    const log = dns.queries.slice(before).filter((q) => q.name === 'big.example' && q.type === 'A');
    assert.deepEqual(log.map((q) => q.transport), ['udp', 'tcp']);
  });

  it('times out on a silent resolver at the deadline, not later', async () => {
    const started = Date.now();
    const a = await resolveWith('silent.example', server(), new Deadline(400));
    const took = Date.now() - started;
    assert.equal(a.status, 'timeout');
    assert.ok(took >= 380 && took < 1000, `took ${took} ms`);
  });

  it('fails fast when nothing listens on the resolver port', async () => {
    const port = await closedPort();
    const started = Date.now();
    const a = await resolveWith('wac.azure.com', { address: '127.0.0.1', port }, new Deadline(3000));
    assert.equal(a.status, 'error');
    assert.match(a.error ?? '', /ECONNREFUSED/);
    assert.ok(Date.now() - started < 1500);
  });

  it('chooses the answer a stub resolver would use', () => {
    const r = (status: ResolverAnswer['status'], resolver: string): ResolverAnswer => ({ status, addresses: [], resolver, ms: 1 });
    assert.equal(chooseAnswer([r('timeout', 'a'), r('servfail', 'b'), r('nxdomain', 'c'), r('ok', 'd')])!.resolver, 'c');
    assert.equal(chooseAnswer([r('timeout', 'a'), r('servfail', 'b')])!.resolver, 'a');
    assert.equal(chooseAnswer([]), undefined);
  });

  describe('system configuration', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'wac-doctor-dns-'));
    });
    after(() => rm(dir, { recursive: true, force: true }));

    it('reads at most three nameservers from resolv.conf', async () => {
      const path = join(dir, 'resolv.conf');
      await writeFile(path, '# comment\nsearch corp.example\nnameserver 10.0.0.2\nnameserver fe80::1%eth0\nnameserver bogus\nnameserver 10.0.0.3\nnameserver 10.0.0.4\n');
      const { servers } = await systemResolvers('linux', path);
      assert.deepEqual(servers.map((s) => s.address), ['10.0.0.2', 'fe80::1%eth0', '10.0.0.3']);
    });

    it('falls back to 127.0.0.1 like glibc when none is listed', async () => {
      const path = join(dir, 'empty.conf');
      await writeFile(path, 'search corp.example\n');
      assert.deepEqual((await systemResolvers('linux', path)).servers, [{ address: '127.0.0.1', port: 53 }]);
    });

    it('reads the hosts file', async () => {
      const path = join(dir, 'hosts');
      await writeFile(path, '127.0.0.1 localhost\n10.9.8.7  gbl.his.arc.azure.com  # private link\n# 1.2.3.4 wac.azure.com\nnot-an-ip x\n');
      const hosts = await readHostsFile(path);
      assert.deepEqual(hosts.get('gbl.his.arc.azure.com'), ['10.9.8.7']);
      assert.equal(hosts.get('wac.azure.com'), undefined);
      assert.equal(hosts.get('x'), undefined);
      assert.equal((await readHostsFile(join(dir, 'missing'))).size, 0);
    });
  });
});
