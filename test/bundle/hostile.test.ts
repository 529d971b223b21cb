import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeBundle } from '../../core/bundle';
import { RULES } from '../../rules';
import { logrus, zipBuffer, WIN_VERSION } from '../../scripts/make-bundles';
import { analyzeNamed, byStatus, finding, NOW, scratchDir } from './fixtures';

/** CRC-32 (zip's), for the hand-built archive below. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A stored (uncompressed) zip written directly: yazl takes minutes for 100,000 entries, this takes a second. */
function storedZip(entries: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x800, 6);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(e.data.length, 18); local.writeUInt32LE(e.data.length, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0x800, 8);
    central.writeUInt32LE(crc, 16); central.writeUInt32LE(e.data.length, 20); central.writeUInt32LE(e.data.length, 24); central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(Math.min(entries.length, 0xffff), 8); eocd.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  eocd.writeUInt32LE(cd.length, 12); eocd.writeUInt32LE(offset, 16);
  if (entries.length < 0xffff) return Buffer.concat([...locals, cd, eocd]);
  // More entries than 16 bits count: a zip64 end record and its locator carry the real count.
  const z64 = Buffer.alloc(56);
  z64.writeUInt32LE(0x06064b50, 0); z64.writeBigUInt64LE(44n, 4); z64.writeUInt16LE(45, 12); z64.writeUInt16LE(45, 14);
  z64.writeBigUInt64LE(BigInt(entries.length), 24); z64.writeBigUInt64LE(BigInt(entries.length), 32);
  z64.writeBigUInt64LE(BigInt(cd.length), 40); z64.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0); locator.writeBigUInt64LE(BigInt(offset + cd.length), 8); locator.writeUInt32LE(1, 16);
  return Buffer.concat([...locals, cd, z64, locator, eocd]);
}

const EXPECTED = 'expected an azcmagent logs zip, an extracted bundle folder or a wac-doctor snapshot zip';
const LOG = 'ProgramData/AzureConnectedMachineAgent/Log';

describe('hostile bundles: clear messages naming the input, the rest analyzed, no crash', () => {
  const scratch = scratchDir('hostile');
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('not a zip: one input error naming it and what was expected', async () => {
    const r = await analyzeNamed('hostile-not-a-zip');
    assert.equal(r.inputs.length, 1);
    assert.equal(r.inputs[0]!.status, 'error');
    assert.match(r.inputs[0]!.messages[0]!, new RegExp(`hostile-not-a-zip\\.zip: not a zip file; ${EXPECTED}$`));
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

  it('100,000 entries: looked at without reading them all, within a bounded time', async function () {
    this.timeout(60_000);
    const files = [{ name: `${LOG}/himds.log`, data: Buffer.from(`${logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: WIN_VERSION })}\n`) }];
    for (let i = 1; i < 100_000; i++) files.push({ name: `ProgramData/GuestConfig/x/${i}.txt`, data: Buffer.from(`entry ${i}\n`) });
    const path = join(scratch, 'many.zip');
    writeFileSync(path, storedZip(files));
    const t0 = Date.now();
    const r = await analyzeBundle(path, { rules: RULES, now: NOW });
    assert.ok(Date.now() - t0 < 30_000, `took ${Date.now() - t0} ms`);
    assert.equal(finding(r, 'agent-version').status, 'pass');
    assert.ok(r.target!.notes!.some((n) => /^Unrecognized entries past the first 2000, not read: 97999 \(e\.g\. /.test(n)), JSON.stringify(r.target!.notes));
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
