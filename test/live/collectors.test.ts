import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from '../../core/sources/live/collect';
import { collectAgent } from '../../core/sources/live/collectors/agent';
import { collectExtension, settingsFields, statusFields } from '../../core/sources/live/collectors/extension';
import { appsettingsPort, collectAppsettings } from '../../core/sources/live/collectors/gateway';
import { collectServices, GET_SERVICE_SCRIPT, parseSystemctlShow, POWERSHELL_ARGS } from '../../core/sources/live/collectors/services';
import { osFact } from '../../core/sources/live/collectors/system';
import { RecordedRunner } from '../../core/sources/live/command-runner';
import { Deadline } from '../../core/sources/live/deadline';
import { RULES } from '../../rules';
import { closedPort } from './harness/servers';
import { FIXTURES, recordedWindows } from './harness/world';

const SYSTEMCTL = `Id=himdsd.service
LoadState=loaded
ActiveState=active
SubState=running
UnitFileState=enabled

Id=gcad.service
LoadState=loaded
ActiveState=failed
SubState=failed
UnitFileState=enabled

Id=extd.service
LoadState=loaded
ActiveState=activating
SubState=start
UnitFileState=static

Id=arcproxyd.service
LoadState=not-found
ActiveState=inactive
SubState=dead
UnitFileState=
`;

describe('live collectors', () => {
  describe('services', () => {
    it('runs one fixed PowerShell script with nothing interpolated', () => {
      assert.deepEqual(POWERSHELL_ARGS.slice(0, 3), ['-NoProfile', '-NonInteractive', '-Command']);
      assert.equal(POWERSHELL_ARGS[3], GET_SERVICE_SCRIPT);
      assert.doesNotMatch(GET_SERVICE_SCRIPT, /["\n`]/, 'no double quotes, newlines or backticks to survive argument quoting');
    });

    it('reads systemctl show blocks', () => {
      assert.deepEqual(parseSystemctlShow(SYSTEMCTL), [
        { name: 'himdsd', state: 'running', startType: 'automatic' },
        { name: 'gcad', state: 'stopped', startType: 'automatic' },
        { name: 'extd', state: 'start_pending', startType: 'manual' },
        { name: 'arcproxyd', state: 'not_found' },
      ]);
    });

    it('asks systemctl for the agent units on Linux', async () => {
      const runner = new RecordedRunner([{ command: 'systemctl show -p Id,LoadState,ActiveState,SubState,UnitFileState himdsd gcad extd arcproxyd', exitCode: 0, stdout: SYSTEMCTL }]);
      const r = await collectServices(runner, 'linux', new Deadline(1000));
      assert.equal(r.systemd?.length, 4);
      const none = await collectServices(new RecordedRunner([]), 'linux', new Deadline(1000));
      assert.match(none.unavailable[0]!.message, /systemctl show .*: not found/);
    });
  });

  describe('agent', () => {
    let himds: http.Server;
    let url = '';
    const seen: Array<string | undefined> = [];
    before(async () => {
      himds = http.createServer((req, res) => {
        seen.push(req.headers.metadata as string | undefined);
        if (req.url !== '/agentstatus?api-version=2019-08-15' || req.headers.metadata !== 'true') {
          res.writeHead(400);
          res.end();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"status":"Disconnected","lastHeartBeat":"2026-11-20T08:00:00Z"}');
      });
      await new Promise<void>((resolve) => himds.listen(0, '127.0.0.1', () => resolve()));
      url = `http://127.0.0.1:${(himds.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => himds.close(() => resolve())));

    it('asks the HIMDS status endpoint (with Metadata: true) when azcmagent is missing', async () => {
      const runner = new RecordedRunner([]);
      const r = await collectAgent(runner, 'linux', {}, new Deadline(2000), url);
      assert.equal(r.present, true);
      assert.equal(r.cliMissing, true);
      assert.deepEqual(r.agentStatus, { source: `HIMDS ${url}/agentstatus`, status: 'Disconnected', lastHeartbeat: '2026-11-20T08:00:00Z' });
      assert.deepEqual(seen, ['true']);
      assert.deepEqual([...runner.calls].sort(), ['azcmagent config list -j', 'azcmagent config list -j', 'azcmagent show -j', 'azcmagent show -j'], 'PATH, then /opt/azcmagent/bin');
    });

    it('says the agent is not installed when neither answers', async () => {
      const r = await collectAgent(new RecordedRunner([]), 'win32', {}, new Deadline(2000), `http://127.0.0.1:${await closedPort()}`);
      assert.equal(r.present, false);
      assert.match(r.unavailable[0]!.message, /azcmagent: not installed \(not found as azcmagent or C:\\Program Files\\AzureConnectedMachineAgent\\azcmagent\.exe\), and HIMDS/);
    });

    it('reports a failing azcmagent with its message', async () => {
      const runner = new RecordedRunner([
        { command: 'azcmagent show -j', exitCode: 1, stderr: 'Error: unknown shorthand flag' },
        { command: 'azcmagent show', exitCode: 23, stderr: 'FATAL  AZCM0023: access is denied\n' },
        { command: 'azcmagent config list -j', exitCode: 0, stdout: 'not json at all' },
        { command: 'azcmagent config list', exitCode: 0, stdout: '' },
      ]);
      const r = await collectAgent(runner, 'win32', {}, new Deadline(2000), 'http://127.0.0.1:9');
      assert.equal(r.present, true);
      assert.deepEqual(r.commands, []);
      assert.match(r.unavailable[0]!.message, /azcmagent show: exited with code 23: FATAL {2}AZCM0023: access is denied/);
      assert.match(r.unavailable[1]!.message, /azcmagent config list -j: output not recognized as azcmagent config list -j/);
    });
  });

  describe('AdminCenter extension on disk', () => {
    it('maps the status file', () => {
      const status = (s: string, op = 'Enable') => JSON.stringify([{ status: { operation: op, status: s, code: 7, formattedMessage: { message: 'm' } } }]);
      assert.deepEqual(statusFields(status('success')), { provisioningState: 'Succeeded', statusLevel: 'Info', statusCode: '7', statusMessage: 'm' });
      assert.equal(statusFields(status('error'))?.provisioningState, 'Failed');
      assert.equal(statusFields(status('warning'))?.statusLevel, 'Warning');
      assert.equal(statusFields(status('transitioning', 'Install'))?.provisioningState, 'Creating');
      assert.equal(statusFields(status('transitioning'))?.provisioningState, 'Updating');
      assert.equal(statusFields('garbage'), undefined);
      assert.equal(statusFields('[{}]'), undefined);
    });

    it('reads port and proxy from the public settings only', () => {
      assert.deepEqual(settingsFields('{"runtimeSettings":[{"handlerSettings":{"protectedSettings":"x","publicSettings":{"port":"6600","proxy":{"mode":"application","address":"http://p:3128"}}}}]}'),
        { settingsPort: 6600, proxyMode: 'application', proxyAddress: 'http://p:3128' });
      assert.deepEqual(settingsFields('{"runtimeSettings":[{"handlerSettings":{"publicSettings":{"port":"99999"}}}]}'), {});
    });

    it('takes the newest version folder and the newest status file', async () => {
      const r = await collectExtension([join(FIXTURES, 'windows', 'Packages', 'Plugins', 'Microsoft.AdminCenter.AdminCenter')]);
      assert.deepEqual(r.fact, {
        installed: true, name: 'AdminCenter', version: '0.85.0.0', provisioningState: 'Succeeded', statusLevel: 'Info', statusCode: '0',
        statusMessage: 'Enable succeeded: Windows Admin Center is running on port 6516.', settingsPort: 6516,
      });
      assert.deepEqual(r.files.map((f) => f.entry), ['files/Packages/Plugins/Microsoft.AdminCenter.AdminCenter/0.85.0.0/Status/1.status']);
    });

    it('says not installed when the plugin folder is missing, and nothing without a folder to look in', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'wac-doctor-ext-'));
      try {
        assert.deepEqual((await collectExtension([join(dir, 'Microsoft.AdminCenter.AdminCenter')])).fact, { installed: false, name: 'AdminCenter' });
        assert.equal((await collectExtension([])).fact, undefined);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('gateway appsettings.json', () => {
    it('finds the port of the Kestrel WindowsAdminCenter endpoint', () => {
      assert.equal(appsettingsPort('{"Kestrel":{"Endpoints":{"Other":{"Url":"http://localhost:80"},"WindowsAdminCenter":{"Url":"https://*:6600"}}}}')?.port, 6600);
      assert.equal(appsettingsPort('\uFEFF{"Kestrel":{"Endpoints":{"Https":{"Url":"https://[::]:443/"}}}}')?.port, 443);
      assert.equal(appsettingsPort('// comment\n{ "Kestrel": { "Endpoints": { "W": { "Url": "https://*:6516" } } } }')?.port, 6516);
      assert.equal(appsettingsPort('{"Kestrel":{"Endpoints":{"W":{"Url":"https://localhost"}}}}'), undefined);
    });

    it('reads the first existing candidate', async () => {
      const file = join(FIXTURES, 'windows', 'Program Files', 'WindowsAdminCenter', 'Service', 'appsettings.json');
      assert.deepEqual(await collectAppsettings(['/nonexistent/appsettings.json', file]), { port: 6516, file, excerpt: '"Url": "https://*:6516"' });
      assert.deepEqual(await collectAppsettings(['/nonexistent/appsettings.json']), {});
    });
  });

  it('maps systeminformation\'s OS data', () => {
    assert.deepEqual(osFact({ platform: 'Windows', distro: 'Microsoft Windows Server 2022 Datacenter', release: '10.0.20348', build: '20348' }),
      { platform: 'windows', name: 'Microsoft Windows Server 2022 Datacenter', version: '10.0.20348', build: 20348 });
    assert.deepEqual(osFact({ platform: 'linux', distro: 'Ubuntu', release: '22.04.4 LTS', build: '' }), { platform: 'linux', name: 'Ubuntu 22.04.4 LTS', version: '22.04.4 LTS' });
    assert.equal(osFact({ platform: 'darwin', distro: 'macOS', release: '14.5', build: '23F79' }).platform, 'other');
  });

  it('on Windows without the agent, leaves the gateway alone and says why', async () => {
    const rec = recordedWindows('windows');
    const runner = new RecordedRunner([
      { command: 'powershell -NoProfile -NonInteractive -Command <script>', exitCode: 0, stdoutFile: 'get-service.json', stderrFile: 'get-service.stderr.txt' },
      { command: 'reg query HKLM\\SOFTWARE\\Microsoft\\ServerManagementGateway', exitCode: 1, stderrFile: 'reg-query-sme.stderr.txt' },
    ], join(FIXTURES, 'windows'));
    const c = await collect({
      ...rec, runner, rules: RULES, timeoutMs: 1500, env: {}, endpoints: [], dnsServers: ['127.0.0.1:9'],
      himdsUrl: `http://127.0.0.1:${await closedPort()}`,
    });
    assert.deepEqual(c.commands, []);
    assert.equal(c.probes.extension, undefined);
    assert.equal(c.probes.localHttps, undefined);
    assert.equal(c.probes.os?.platform, 'windows', 'the machine facts are kept');
    assert.ok(c.skipReasons.some((r) => r.facts.includes('service.windowsadmincenter') && /agent is not installed/.test(r.reason)));
  });
});

describe('live command safety', () => {
  it('only the command runner starts processes, with execFile and no shell', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const root = join(__dirname, '..', '..', 'core', 'sources', 'live');
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        if (e.isDirectory()) await walk(join(dir, e.name));
        else if (e.name.endsWith('.ts')) files.push(join(dir, e.name));
      }
    };
    await walk(root);
    const users = [];
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      if (/child_process/.test(text)) users.push(f.slice(root.length + 1));
      assert.doesNotMatch(text, /(?<![.\w])(exec|execSync|spawn|spawnSync)\(|shell:\s*true/, f);
    }
    assert.deepEqual(users, ['command-runner.ts']);
  });
});
