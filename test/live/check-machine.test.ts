import { strict as assert } from 'node:assert';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from '../../core/reporters';
import type { Report } from '../../core/model/report';
import type { Status } from '../../core/model/types';
import { checkMachine, reportFor } from '../../core/sources/live/check';
import { collect } from '../../core/sources/live/collect';
import { ExecFileRunner } from '../../core/sources/live/command-runner';
import type { LiveProgress } from '../../core/sources/live/options';
import { RULES } from '../../rules';
import { Blackhole, TestProxy } from './harness/servers';
import { HOSTS, LoopbackWorld, RELAYS, recordedWindows } from './harness/world';

const statuses = (r: Report): Record<string, Status> => Object.fromEntries(r.results.map((f) => [f.ruleId, f.status]));
const finding = (r: Report, id: string) => r.results.find((f) => f.ruleId === id)!;

describe('checkMachine (live check; every probe on loopback)', function () {
  this.timeout(30000);
  let world: LoopbackWorld;
  before(async () => {
    world = await new LoopbackWorld().start({ 'silent.example': { kind: 'silent' } });
  });
  after(() => world?.stop());

  describe('a recorded healthy Windows Arc server (modernized gateway)', () => {
    it('decides every rule a live check can, all passing', async () => {
      const rec = recordedWindows('windows');
      const report = await checkMachine(world.options(rec));
      const expected: Record<string, Status> = Object.fromEntries(RULES.map((r) => [r.meta.id, 'pass' as Status]));
      // Only ARM data (or logs) answers these; a live check has neither. Cipher suites and w32tm output are pasted only.
      Object.assign(expected, { 'resource-provider': 'skip', rbac: 'skip', 'service-configuration': 'skip', 'tls-cipher-suites': 'skip', license: 'skip', 'clock-offset': 'skip' });
      assert.deepEqual(statuses(report), expected);
      assert.match(finding(report, 'endpoint-servicebus').message, new RegExp(RELAYS[0]!.replace(/\./g, '\\.')));
      assert.match(finding(report, 'wac-port').message, /6516 agrees across the AdminCenter extension settings \(6516\) and appsettings\.json \(6516\)/);
      assert.deepEqual(report.target, {
        kind: 'live', name: 'SRV-WAC-03', machine: 'SRV-WAC-03', os: 'Microsoft Windows Server 2022 Datacenter 10.0.20348', agentVersion: '1.67.03412.2816',
        notes: report.target!.notes,
      });
      assert.ok(report.inputs.every((i) => i.status === 'parsed'), JSON.stringify(report.inputs));
      // Fixed commands only, each once.
      assert.deepEqual([...rec.runner.calls].sort(), [
        'azcmagent config list -j', 'azcmagent show -j', 'powershell -NoProfile -NonInteractive -Command <script>',
        'reg query HKLM\\SOFTWARE\\Microsoft\\ServerManagementGateway',
      ]);
      // Live evidence names the command or the probe it came from.
      const ev = finding(report, 'agent-status').evidence[0]!;
      assert.equal(ev.source, 'live');
      assert.equal(ev.path, 'azcmagent show -j');
    });

    it('probes the documented endpoints of the agent\'s region and the relays its allowlist names', async () => {
      const c = await collect(world.options(recordedWindows('windows')));
      const hosts = c.probes.endpoints!.map((e) => e.host);
      assert.deepEqual([...hosts].sort(), HOSTS.filter((h) => !h.startsWith('eastus')).sort());
      const wac = c.probes.endpoints!.find((e) => e.host === 'wac.azure.com')!;
      assert.equal(wac.resolvers?.[0]?.resolver, world.dns.address);
      assert.equal(wac.override, `::127.0.0.1:${world.https.port}`);
      assert.ok(world.https.requests.some((r) => r.path === '/urls/allowlist?api-version=2020-01-01&location=westeurope'));
      // The SNI of every handshake was the endpoint's own name.
      for (const r of world.https.requests) assert.equal(r.sni ?? r.host, r.host);
    });
  });

  describe('a recorded legacy Windows server behind an authenticating proxy', () => {
    let proxy: TestProxy;
    before(async () => {
      proxy = await new TestProxy('auth', () => world.https.port).start();
    });
    after(() => proxy.stop());

    it('fails what is broken, from the fallbacks (text output, sc query)', async () => {
      const rec = recordedWindows('windows-legacy');
      const report = await checkMachine(world.options({
        ...rec,
        connectTo: [`::127.0.0.1:${world.https.port}`, `localhost:6516:127.0.0.1:${world.closed}`, `proxy.corp.example:3128:127.0.0.1:${proxy.port}`],
      }));
      const s = statuses(report);
      for (const id of ['memory', 'agent-version', 'endpoint-wac', 'endpoint-pas', 'proxy', 'wac-service', 'wac-local-https', 'extension-status']) assert.equal(s[id], 'fail', id);
      for (const id of ['os-version', 'cloud', 'agent-status', 'agent-services', 'incoming-ports', 'wac-port']) assert.equal(s[id], 'pass', id);
      assert.match(finding(report, 'proxy').message, /answered 407 Proxy Authentication Required/);
      assert.match(finding(report, 'endpoint-wac').message, /eastus\.service\.waconazure\.com: HTTP 407/);
      assert.match(finding(report, 'endpoint-servicebus').message, /On this machine: the relay allowlist .* could not be read: HTTP 407/);
      assert.match(finding(report, 'wac-local-https').message, /ECONNREFUSED/);
      assert.ok(proxy.connects.length > 0 && proxy.connects.every((c) => c.proxyAuthorization === undefined), 'no credentials sent');
      assert.doesNotMatch(JSON.stringify(report.inputs) + JSON.stringify(report.target), /S3cret/);
      assert.ok(rec.runner.calls.includes('azcmagent show') && rec.runner.calls.includes('sc query himds'));
    });
  });

  describe('this Linux machine (no agent, no Windows)', () => {
    it('returns a valid report whose agent and gateway checks skip, saying why', async () => {
      const report = await checkMachine(world.options());
      assert.equal(report.target?.kind, 'live');
      assert.equal(report.version, 1);
      const json = JSON.parse(render('json', report, { rules: RULES, color: false, verbose: true, redact: true, failOn: 'fail' })) as { results: unknown[] };
      assert.equal(json.results.length, RULES.length);
      const s = statuses(report);
      assert.equal(s['os-version'], 'fail', 'WAC does not run on Linux');
      for (const id of ['endpoint-pas', 'tls-inspection', 'proxy', 'private-link']) assert.equal(s[id], 'pass', id);
      // No region without the agent: only the legacy wac.azure.com is probed, which does not judge *.waconazure.com.
      assert.equal(s['endpoint-wac'], 'skip');
      assert.ok(s.memory === 'pass' || s.memory === 'fail');
      for (const id of ['cloud', 'agent-version', 'agent-status', 'agent-services', 'incoming-ports', 'extension-allowed']) {
        assert.equal(s[id], 'skip', id);
        assert.match(finding(report, id).message, /On this machine: the Connected Machine agent is not installed here/, id);
      }
      for (const id of ['wac-service', 'wac-local-https', 'extension-status']) {
        assert.equal(s[id], 'skip', id);
        assert.match(finding(report, id).message, /this machine runs linux, not Windows/, id);
      }
      assert.equal(s['endpoint-servicebus'], 'skip');
      assert.match(finding(report, 'endpoint-servicebus').message, /needs the machine's region/);
      assert.match(finding(report, 'proxy').message, /No proxy configured: HTTPS_PROXY is empty/);
      const agentInput = report.inputs.find((i) => i.path === 'azcmagent');
      assert.match(agentInput?.messages[0] ?? '', /azcmagent: not installed .* HIMDS 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    });
  });

  describe('a machine without network', () => {
    it('probes nothing and says why the network rules skip', async () => {
      const lo = { lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }] };
      const options = { ...world.options(), dnsServers: undefined, connectTo: undefined, networkInterfaces: () => lo };
      const asked = world.dns.queries.length;
      const report = await checkMachine(options);
      for (const id of ['endpoint-wac', 'endpoint-pas', 'endpoint-servicebus', 'tls-inspection', 'private-link']) {
        assert.equal(finding(report, id).status, 'skip', id);
        assert.match(finding(report, id).message, /no network interface besides loopback/, id);
      }
      assert.equal(world.dns.queries.length, asked, 'not even DNS was asked');
    });
  });

  describe('time bound and progress', () => {
    let hole: Blackhole;
    let bin: string;
    before(async () => {
      hole = await new Blackhole().start();
      // An azcmagent that never answers: the run must kill it at the deadline.
      bin = await mkdtemp(join(tmpdir(), 'wac-doctor-bin-'));
      await writeFile(join(bin, 'azcmagent'), '#!/bin/sh\nexec sleep 30\n');
      await chmod(join(bin, 'azcmagent'), 0o755);
    });
    after(async () => {
      await hole.stop();
      await rm(bin, { recursive: true, force: true });
    });

    it('ends within timeout + 1 s although endpoints blackhole, DNS is silent and azcmagent hangs', async () => {
      const timeoutMs = 1500;
      const events: LiveProgress[] = [];
      const fast = ['wac.azure.com', 'pas.windows.net', 'login.microsoftonline.com', 'management.azure.com', 'gbl.his.arc.azure.com', 'agentserviceapi.guestconfiguration.azure.com'];
      const holes = ['hole1.example', 'hole2.example', 'hole3.example'];
      const options = world.options({
        timeoutMs, endpoints: [...fast, ...holes, 'silent.example'], runner: new ExecFileRunner({ PATH: `${bin}:/usr/bin:/bin` }), platform: 'linux', localHttps: false,
        connectTo: [...holes.map((h) => `${h}:443:127.0.0.1:${hole.port}`), ...fast.map((h) => `${h}:443:127.0.0.1:${world.https.port}`)],
        onProgress: (p) => events.push(p),
      });
      const started = Date.now();
      const c = await collect(options);
      const report = reportFor(c, options);
      const took = Date.now() - started;
      assert.ok(took < timeoutMs + 1000, `took ${took} ms for a ${timeoutMs} ms timeout`);
      assert.ok(took >= timeoutMs - 50, `took ${took} ms: the blackholes should hold it to the timeout`);

      const byHost = new Map(c.probes.endpoints!.map((e) => [e.host, e]));
      for (const h of holes) {
        assert.equal(byHost.get(h)?.tcp?.ok, true, h);
        assert.match(byHost.get(h)?.tls?.error ?? '', /timed out after \d+ ms waiting for the TLS handshake/, h);
      }
      assert.equal(byHost.get('silent.example')?.dns?.status, 'timeout');
      assert.equal(byHost.get('silent.example')?.tcp, undefined);
      for (const h of fast) assert.equal(byHost.get(h)?.tls?.ok, true, `${h}: fast probes finish despite slow ones`);
      assert.equal(finding(report, 'endpoint-pas').status, 'pass');
      const agentInput = report.inputs.find((i) => i.path.startsWith('azcmagent show'));
      assert.match(agentInput?.messages.join(' ') ?? '', /no answer before the timeout/);

      // Progress: every check that started ended, and the last event leaves nothing running.
      const starts = events.filter((e) => e.event === 'start').map((e) => e.check).sort();
      const ends = events.filter((e) => e.event === 'end').map((e) => e.check).sort();
      assert.deepEqual(ends, starts);
      const last = events.at(-1)!;
      assert.deepEqual(last.running, []);
      assert.equal(last.done, last.total);
      assert.ok(events.some((e) => e.running.includes('probe hole1.example') && e.running.length > 1), 'checks run concurrently');
    });
  });
});
