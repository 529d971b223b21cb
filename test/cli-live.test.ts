/**
 * `check` and `collect` end to end on this (Linux CI) machine, as subprocesses. Every probe is pointed at
 * loopback: DNS goes to a closed local UDP port, so no packet leaves the machine.
 */
import { strict as assert } from 'node:assert';
import { execFile, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES } from '../rules';
import { TestPki } from './live/harness/certs';
import { TestHttpsServer } from './live/harness/servers';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'wac-doctor.js');

function cli(args: string[]): { code: number | null; stdout: string; stderr: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', input: '', timeout: 30000, env: { ...process.env, HTTPS_PROXY: '', https_proxy: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** The CLI without blocking the event loop, so servers in this process can answer it. */
function cliAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30000, env: { ...process.env, HTTPS_PROXY: '', https_proxy: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

/** A UDP port on loopback that nothing answers on: bind, note the port, close. */
async function silentDnsPort(): Promise<number> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  const { port } = sock.address();
  await new Promise<void>((resolve) => sock.close(() => resolve()));
  return port;
}

describe('wac-doctor check / collect on this machine', function () {
  this.timeout(60000);
  let dns: string;
  let tmp: string;
  before(async () => {
    assert.ok(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` (npm test does) first');
    dns = `127.0.0.1:${await silentDnsPort()}`;
    tmp = mkdtempSync(join(tmpdir(), 'wac-doctor-live-'));
  });

  it('check: valid JSON, a live target, the agent rules skipped with the reason, within the time budget', () => {
    const r = cli(['check', '--format', 'json', '--timeout', '1500ms', '--dns-server', dns]);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as { target: { kind: string; name: string }; results: Array<{ ruleId: string; status: string; message: string }> };
    assert.equal(report.target.kind, 'live');
    assert.equal(report.results.length, RULES.length);
    const byId = new Map(report.results.map((x) => [x.ruleId, x]));
    // No Connected Machine agent on a CI machine: the agent rules cannot be decided.
    for (const id of ['agent-version', 'agent-status', 'incoming-ports']) assert.equal(byId.get(id)!.status, 'skip', id);
    // OS and memory come from systeminformation: decided live. Linux is not a WAC platform.
    assert.equal(byId.get('os-version')!.status, process.platform === 'win32' ? byId.get('os-version')!.status : 'fail');
    // Memory is a WAC requirement: decided on Windows, not applicable elsewhere (WAC manages Windows Server only).
    if (process.platform === 'win32') assert.notEqual(byId.get('memory')!.status, 'skip');
    else assert.match(byId.get('memory')!.message, /^Not applicable: WAC in the Azure portal manages Windows Server only/);
    assert.ok(r.ms < 1500 + 6000, `took ${r.ms} ms`);
  });

  it('check --connect-to --ca-file: the endpoint judged on the path used, DNS beside it, the --ca-file CA named (issue 9 items 7-8)', async () => {
    const pki = await TestPki.create();
    let server: TestHttpsServer | undefined;
    try {
      const ca = await pki.authority('Contoso TLS Inspection CA');
      const caFile = join(tmp, 'inspection-ca.pem');
      writeFileSync(caFile, ca.pem);
      const leaf = await ca.issue('wac.azure.com', ['wac.azure.com', '*.service.waconazure.com', 'pas.windows.net']);
      const home = "You've found the Windows Admin Center in Azure APIs' home page.";
      const certService = 'Microsoft Certificate and DNS service for Windows Admin Center in the Azure Portal';
      server = await new TestHttpsServer({
        'wac.azure.com': { leaf, respond: () => ({ status: 200, body: home }) },
        'westeurope.service.waconazure.com': { leaf, respond: () => ({ status: 200, body: certService }) },
        'pas.windows.net': { leaf, respond: () => ({ status: 200, body: '' }) },
      }, leaf).start();
      const r = await cliAsync(['check', '--format', 'json', '--timeout', '1500ms', '--dns-server', dns, '--only', 'endpoint-wac,endpoint-pas,connect-override,tls-inspection',
        '--region', 'westeurope', '--connect-to', `wac.azure.com:443:127.0.0.1:${server.port}`,
        '--connect-to', `westeurope.service.waconazure.com:443:127.0.0.1:${server.port}`,
        '--connect-to', `pas.windows.net:443:127.0.0.1:${server.port}`, '--ca-file', caFile]);
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
      const byId = new Map((JSON.parse(r.stdout) as { results: Array<{ ruleId: string; status: string; message: string }> }).results.map((x) => [x.ruleId, x]));
      // endpoint-wac is a WAC-only rule: on a non-Windows test host it is not applicable (issue 9 item 6); pas.windows.net
      // carries the path check there.
      if (process.platform === 'win32') assert.equal(byId.get('endpoint-wac')?.status, 'pass', byId.get('endpoint-wac')?.message);
      else assert.match(byId.get('endpoint-wac')!.message, /^Not applicable: WAC in the Azure portal manages Windows Server only/);
      assert.equal(byId.get('endpoint-pas')?.status, 'pass', byId.get('endpoint-pas')?.message);
      assert.match(byId.get('endpoint-pas')!.message, new RegExp(`pas\\.windows\\.net \\(connected to 127\\.0\\.0\\.1:${server.port} \\(--connect-to [^)]*\\), DNS [A-Z]+ via 127\\.0\\.0\\.1:\\d+, TCP 443 ok, TLS ok \\(TLS 1\\.[23]\\)\\)`));
      assert.equal(byId.get('connect-override')?.status, 'warn');
      assert.match(byId.get('connect-override')!.message, /Probed at 127\.0\.0\.1:\d+ \(--connect-to wac\.azure\.com:443:.*\), but wac\.azure\.com: DNS via 127\.0\.0\.1:\d+ answers [A-Z]+/);
      assert.equal(byId.get('tls-inspection')?.status, 'warn');
      assert.match(byId.get('tls-inspection')!.message, /wac\.azure\.com: certificate chain ends at "Contoso TLS Inspection CA", the CA given with --ca-file, not at a public root\./);
      assert.doesNotMatch(r.stdout, /chain to public roots/);
    } finally {
      await server?.stop();
      await pki.dispose();
    }
  });

  it('check: a bad option is a usage error', () => {
    const r = cli(['check', '--dns-server', 'not-an-address']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^wac-doctor: --dns-server 'not-an-address'|^wac-doctor: --dns-server not-an-address/);
  });

  it('collect writes a snapshot that analyze reads back to the same OS and memory findings', () => {
    const snap = join(tmp, 'snapshot.zip');
    const c = cli(['collect', '--output', snap, '--timeout', '1500ms', '--dns-server', dns]);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stderr, /wrote .*snapshot\.zip \(\d+ entries, redacted\)/);
    const a = cli(['analyze', '--format', 'json', '--only', 'os-version,memory', snap]);
    assert.ok(a.code === 0 || a.code === 1, a.stderr);
    const report = JSON.parse(a.stdout) as { target: { kind: string }; results: Array<{ ruleId: string; status: string }> };
    assert.equal(report.target.kind, 'snapshot');
    const live = JSON.parse(cli(['check', '--format', 'json', '--only', 'os-version,memory', '--timeout', '1500ms', '--dns-server', dns]).stdout) as typeof report;
    assert.deepEqual(report.results.map((x) => [x.ruleId, x.status]), live.results.map((x) => [x.ruleId, x.status]));
  });
  it('collect -o refuses an existing file unless --force (issue 9 item 12)', () => {
    const snap = join(tmp, 'existing.zip');
    writeFileSync(snap, 'evidence from yesterday');
    const refused = cli(['collect', '--output', snap, '--timeout', '1500ms', '--dns-server', dns]);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr, `wac-doctor: --output ${snap}: already exists; use --force to replace it, or choose another path\n`);
    assert.equal(readFileSync(snap, 'utf8'), 'evidence from yesterday', 'the file is untouched');
    const forced = cli(['collect', '--output', snap, '--force', '--timeout', '1500ms', '--dns-server', dns]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(readFileSync(snap).subarray(0, 2).toString('latin1'), 'PK', 'replaced by a zip');
  });

  it('collect -o - writes the zip to standard output when it is a pipe, and analyze reads it', () => {
    const r = spawnSync(process.execPath, [BIN, 'collect', '-o', '-', '--timeout', '1500ms', '--dns-server', dns], { cwd: ROOT, input: '', timeout: 30000, env: { ...process.env, HTTPS_PROXY: '', https_proxy: '' } });
    assert.equal(r.status, 0, r.stderr.toString());
    assert.equal(r.stdout.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'a zip on stdout');
    assert.match(r.stderr.toString(), /wrote the snapshot to standard output \(\d+ entries, redacted\)/);
    const file = join(tmp, 'from-stdout.zip');
    writeFileSync(file, r.stdout);
    const a = cli(['analyze', '--format', 'json', '--only', 'os-version', file]);
    assert.equal((JSON.parse(a.stdout) as { target: { kind: string } }).target.kind, 'snapshot');
  });

  it('collect -o - on a terminal is a usage error (run under a real pty with script(1))', function () {
    const which = spawnSync('script', ['--version'], { encoding: 'utf8' });
    if (which.error) this.skip();
    const command = [process.execPath, BIN, 'collect', '-o', '-', '--timeout', '1500ms', '--dns-server', dns].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, encoding: 'utf8', input: '', timeout: 30000 });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /wac-doctor: --output -: standard output is a terminal; redirect it/);
    assert.doesNotMatch(r.stdout, /PK\x03\x04/);
  });
});
