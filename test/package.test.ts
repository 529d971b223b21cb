/**
 * Packaging (issue 9 item 17): `npm pack` builds and ships what the CLI needs; the tarball installs into a fresh
 * global prefix and gives a bare `wac-doctor`; the rule docs every finding links to are in the package; license
 * and repository fields match the LICENSE file. The install prefers npm's cache but may ask the registry: a cache
 * filled by `npm ci` can lack the package metadata an install of a tarball resolves from (seen with npm 11).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES } from '../rules';
import { docsUrlFor } from '../core/engine/rule';

const ROOT = join(__dirname, '..');
const npm = (args: string[], cwd = ROOT) => spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 240000, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });

describe('package: npm pack, global install, shipped docs', function () {
  this.timeout(300000);
  let tmp: string;
  let tarball: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'wac-doctor-pack-'));
    const r = npm(['pack', '--json', '--pack-destination', tmp]);
    assert.equal(r.status, 0, r.stderr);
    const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(tmp, info!.filename);
    files = info!.files.map((f) => f.path);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));
  let files: string[] = [];

  it('ships the built CLI, the collector, LICENSE and a doc for every rule, and no tests', () => {
    for (const f of ['bin/wac-doctor.js', 'dist/cli/main.js', 'dist/core/sources/bundle/worker.js', 'collector/wac-doctor-collect.ps1', 'LICENSE', 'README.md']) assert.ok(files.includes(f), f);
    // Every docs link a finding prints points at a file the repository and the package have.
    for (const r of RULES) {
      const path = /\/blob\/main\/(docs\/rules\/[a-z0-9-]+\.md)$/.exec(docsUrlFor(r.meta.id))?.[1];
      assert.equal(path, `docs/rules/${r.meta.id}.md`, docsUrlFor(r.meta.id));
      assert.ok(files.includes(path), r.meta.id);
    }
    assert.ok(!files.some((f) => /\.test\.js$|^dist\/test\//.test(f)), 'no compiled tests');
  });

  it('installs into a temp prefix and runs as a bare wac-doctor', () => {
    const prefix = join(tmp, 'prefix');
    const r = npm(['install', '-g', '--prefer-offline', '--prefix', prefix, tarball], tmp);
    assert.equal(r.status, 0, r.stderr);
    const bin = join(prefix, process.platform === 'win32' ? 'wac-doctor.cmd' : join('bin', 'wac-doctor'));
    const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(v.stdout, `wac-doctor ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`, v.stderr);
    const pkgDir = join(prefix, 'lib', 'node_modules', 'wac-doctor');
    assert.ok(readdirSync(join(pkgDir, 'docs', 'rules')).includes('wac-port.md'));
    const explain = spawnSync(bin, ['explain', 'wac-port'], { encoding: 'utf8' });
    assert.equal(explain.status, 0, explain.stderr);
    assert.match(explain.stdout, /^wac-port: The WAC port is the same everywhere it is configured/);
    const analyze = spawnSync(bin, ['analyze', join(ROOT, 'fixtures', 'pasted', 'azcmagent-show.txt')], { encoding: 'utf8' });
    assert.ok(analyze.status === 0 || analyze.status === 1, analyze.stderr);
  });

  it('runs through npx in the checkout, and `npm install -g .` links a bare wac-doctor', () => {
    const version = `wac-doctor ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`;
    const x = spawnSync('npx', ['--no-install', 'wac-doctor', '--version'], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
    assert.equal(x.stdout, version, x.stderr);
    const prefix = join(tmp, 'linked');
    const r = npm(['install', '-g', '--offline', '--ignore-scripts', '--prefix', prefix, ROOT], tmp);
    assert.equal(r.status, 0, r.stderr);
    const v = spawnSync(join(prefix, 'bin', 'wac-doctor'), ['--version'], { encoding: 'utf8' });
    assert.equal(v.stdout, version, v.stderr);
  });

  it('declares the MIT license of its LICENSE file and the repository', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string; repository?: { url: string } };
    assert.equal(pkg.license, 'MIT');
    assert.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /^MIT License\n/);
    assert.match(pkg.repository!.url, /^git\+https:\/\/github\.com\/[\w-]+\/[\w-]+\.git$/);
  });
});
