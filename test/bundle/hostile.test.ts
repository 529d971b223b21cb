import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeBundle } from '../../core/sources/bundle';
import { RULES } from '../../rules';
import { logrus, zipBuffer, WIN_VERSION } from '../../scripts/make-bundles';
import { storedZip } from '../../scripts/zip-craft';
import type { BundleProgress } from '../../core/sources/bundle';
import { analyzeNamed, byStatus, finding, NOW, scratchDir } from './fixtures';

const EXPECTED = 'expected an azcmagent logs zip, an extracted bundle folder or a wac-doctor snapshot zip';
const LOG = 'ProgramData/AzureConnectedMachineAgent/Log';

describe('hostile bundles: clear messages naming the input, the rest analyzed, no crash', () => {
  const scratch = scratchDir('hostile');
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('not a zip: one input error naming it and what was expected', async () => {
    const r = await analyzeNamed('hostile-not-a-zip');
    assert.equal(r.inputs.length, 1);
    assert.equal(r.inputs[0]!.status, 'error');
    assert.match(r.inputs[0]!.messages[0]!, new RegExp(`hostile-not-a-zip\\.zip: not a zip archive; ${EXPECTED}$`));
    assert.equal(byStatus(r).pass.length + byStatus(r).fail.length, 0);
  });

  it('an empty file and a truncated zip are input errors too', async () => {
    assert.match((await analyzeNamed('hostile-empty')).inputs[0]!.messages[0]!, /hostile-empty\.zip: an empty file; expected/);
    const t = await analyzeNamed('hostile-truncated');
    assert.equal(t.inputs[0]!.status, 'error');
    assert.match(t.inputs[0]!.messages[0]!, /hostile-truncated\.zip: not a readable zip \(End of central directory record signature not found.*\); expected/);
  });

  it('a damaged central directory: the entries before it are analyzed and the damage is noted', async () => {
    const r = await analyzeNamed('hostile-corrupt-directory');
    assert.equal(r.inputs[0]!.status, 'parsed');
    assert.deepEqual(r.target!.filesFound, [`${LOG}/himds.log`, `${LOG}/azcmagent.log`]);
    assert.ok(r.target!.notes!.some((n) => /^the zip's entry list is damaged after 2 entries \(invalid central directory file header signature/.test(n)));
    assert.equal(finding(r, 'agent-version').status, 'pass');
  });

  it('a zip bomb entry is refused by its ratio before anything is inflated; the rest is read', async () => {
    const r = await analyzeNamed('hostile-bomb');
    assert.ok(r.target!.notes!.includes(`Entries that expand more than 200 times (a zip-bomb pattern), not read: 1 (${LOG}/himds.log).`));
    assert.match(r.inputs[0]!.messages[0]!, /himds\.log: declared 64\.0 MiB from 63\.\d KiB compressed; not read \(zip-bomb pattern\)/);
    assert.deepEqual(r.target!.filesFound, [`${LOG}/azcmagent.log`]);
  });

  it('zip slip names are said once and read without ".."; backslash and drive-letter names are normalised', async () => {
    const slip = await analyzeNamed('hostile-zip-slip');
    assert.ok(slip.target!.notes!.some((n) => n.startsWith('Entry names with ".." (a zip-slip pattern): 1. Nothing is extracted or written to disk')));
    assert.ok(slip.target!.filesFound!.includes('evil.log'));
    const bs = await analyzeNamed('hostile-backslash-names');
    assert.deepEqual(bs.target!.filesFound, [`${LOG}/himds.log`, 'ProgramData/AzureConnectedMachineAgent/Config/localconfig.json']);
    assert.equal(finding(bs, 'agent-version').status, 'fail');
    assert.equal(finding(bs, 'incoming-ports').status, 'warn');
    assert.equal(finding(bs, 'incoming-ports').evidence[0]!.path, 'ProgramData/AzureConnectedMachineAgent/Config/localconfig.json');
  });

  it('encrypted, symlink and nested-zip entries are noted and skipped', async () => {
    const enc = await analyzeNamed('hostile-encrypted');
    assert.ok(enc.target!.notes!.includes('Encrypted entries, not read: 1 (ProgramData/AzureConnectedMachineAgent/Config/localconfig.json).'));
    assert.equal(finding(enc, 'incoming-ports').status, 'skip');
    const link = await analyzeNamed('hostile-symlink');
    assert.ok(link.target!.notes!.includes(`Symbolic links, not followed: 1 (${LOG}/azcmagent.log).`));
    const nested = await analyzeNamed('hostile-nested');
    assert.ok(nested.target!.notes!.includes('Nested archives, not opened: 1 (inner/azcmagent-logs-inner.zip).'));
    assert.equal(finding(nested, 'agent-version').status, 'pass');
  });

  it('binary, UTF-16 with BOM, invalid UTF-8, empty and broken JSON entries', async () => {
    const r = await analyzeNamed('hostile-encodings');
    assert.ok(r.target!.notes!.includes(`Logs holding binary data, not analyzed: 1 (${LOG}/himds.log).`));
    assert.ok(r.target!.notes!.includes('Empty files: 1 (ProgramData/AzureConnectedMachineAgent/Config/localconfig.json).'));
    // The UTF-16 azcmagent.log is read: it states agent 1.36.
    assert.match(finding(r, 'agent-version').message, /^Agent 1\.36\.02538\.1064 is a release known to break WAC/);
    // The line after the invalid UTF-8 bytes is still read.
    assert.match(finding(r, 'agent-error-code').message, /AZCM0148/);
    assert.ok(r.inputs[0]!.messages.some((m) => /agentconfig\.json: is not valid JSON .*; expected the agent's agentconfig\.json$/.test(m)));
  });

  it('100,000 entries: every one looked at by name, only the claimed ones opened (work bounded by the caps, not the count)', async function () {
    this.timeout(60_000);
    const files = [{ name: `${LOG}/himds.log`, data: Buffer.from(`${logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: WIN_VERSION })}\n`) }];
    for (let i = 1; i < 100_000; i++) files.push({ name: `ProgramData/GuestConfig/x/${i}.txt`, data: Buffer.from(`entry ${i}\n`) });
    const path = join(scratch, 'many.zip');
    writeFileSync(path, storedZip(files));
    let last: BundleProgress | undefined;
    const r = await analyzeBundle(path, { rules: RULES, now: NOW, onProgress: (p) => { last = p; } });
    assert.equal(finding(r, 'agent-version').status, 'pass');
    assert.ok(r.target!.notes!.some((n) => /^Unrecognized entries past the first 2000, not read: 97999 \(e\.g\. /.test(n)), JSON.stringify(r.target!.notes));
    // Structural bound instead of a clock: all 100,000 listed, data opened for the log plus the 2,000 unrecognized allowed.
    assert.equal(last!.done, true);
    assert.equal(last!.entries, 100_000);
    assert.equal(last!.entriesTotal, 100_000);
    assert.equal(last!.opened, 2_001);
    assert.ok(last!.bytes < 2_001 * 20, `read ${last!.bytes} bytes`);
  });

  it('a 50 MB single line is cut at 64 KiB and the lines after it are still read', async function () {
    this.timeout(60_000);
    const long = randomBytes(38 * 1024 * 1024).toString('base64'); // ~50 MB, incompressible
    const data = [
      logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: '1.36.02538.1064' }),
      `time="2026-09-14T08:00:01Z" level=error msg="${long}`,
      logrus('2026-09-14T08:00:02Z', 'error', 'Exit Code: AZCM0041: invalid credentials'),
    ].join('\n');
    const path = join(scratch, 'long-line.zip');
    writeFileSync(path, await zipBuffer([{ name: `${LOG}/azcmagent.log`, data, store: true }]));
    const before = process.memoryUsage().rss;
    const r = await analyzeBundle(path, { rules: RULES, now: NOW });
    assert.ok(r.target!.notes!.some((n) => n === `${LOG}/azcmagent.log: 1 line longer than 64.0 KiB cut there (first at line 2).`), JSON.stringify(r.target!.notes));
    assert.match(finding(r, 'agent-error-code').message, /AZCM0041/);
    assert.equal(finding(r, 'agent-error-code').evidence[0]!.line, 3);
    assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'memory stayed bounded');
  });

  it('an extracted folder: relative paths, symlinks not followed, same findings as the zip', async () => {
    const root = join(scratch, 'extracted');
    mkdirSync(join(root, 'ProgramData/AzureConnectedMachineAgent/Log'), { recursive: true });
    mkdirSync(join(root, 'ProgramData/AzureConnectedMachineAgent/Config'), { recursive: true });
    writeFileSync(join(root, 'ProgramData/AzureConnectedMachineAgent/Log/himds.log'), `${logrus('2026-09-14T08:00:00Z', 'info', 'Starting HIMDS service', { Version: '1.36.02538.1064' })}\n`);
    writeFileSync(join(root, 'ProgramData/AzureConnectedMachineAgent/Config/localconfig.json'), '{"incomingconnections.ports": ["22"]}');
    symlinkSync('/etc/passwd', join(root, 'ProgramData/AzureConnectedMachineAgent/Log/azcmagent.log'));
    const r = await analyzeBundle(root, { rules: RULES, now: NOW });
    assert.equal(r.target!.kind, 'folder');
    assert.equal(r.inputs[0]!.kind, 'bundle-folder');
    assert.equal(finding(r, 'agent-version').status, 'fail');
    assert.equal(finding(r, 'agent-version').evidence[0]!.path, 'ProgramData/AzureConnectedMachineAgent/Log/himds.log');
    assert.equal(finding(r, 'incoming-ports').status, 'warn');
    assert.ok(r.target!.notes!.includes('Symbolic links, not followed: 1 (ProgramData/AzureConnectedMachineAgent/Log/azcmagent.log).'));
  });

  it('a path that does not exist, and a zip with nothing known in it', async () => {
    const missing = await analyzeBundle(join(scratch, 'nope.zip'), { rules: RULES });
    assert.match(missing.inputs[0]!.messages[0]!, new RegExp(`nope\\.zip: no such file or folder; ${EXPECTED}$`));
    const path = join(scratch, 'photos.zip');
    writeFileSync(path, await zipBuffer([{ name: 'holiday/readme.md', data: 'Nice weather.\n' }]));
    const r = await analyzeBundle(path, { rules: RULES });
    assert.equal(r.inputs[0]!.status, 'unrecognized');
    assert.match(r.inputs[0]!.messages[0]!, /photos\.zip: no agent logs, configuration or command outputs with known content among 1 entries; expected/);
  });
});
