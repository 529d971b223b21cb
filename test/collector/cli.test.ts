import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine } from '../../cli/args';
import { ROOT, SCRIPT } from './pwsh';

const BIN = join(ROOT, 'bin', 'wac-doctor.js');

describe('wac-doctor collector-script', () => {
  it('prints the PowerShell collector byte for byte, or writes it with -o', () => {
    const script = readFileSync(SCRIPT, 'utf8');
    const printed = spawnSync(process.execPath, [BIN, 'collector-script'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    assert.equal(printed.status, 0, printed.stderr);
    assert.equal(printed.stdout, script);
    const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-script-'));
    try {
      const out = join(dir, 'wac-doctor-collect.ps1');
      const written = spawnSync(process.execPath, [BIN, 'collector-script', '-o', out], { encoding: 'utf8' });
      assert.equal(written.status, 0, written.stderr);
      assert.equal(readFileSync(out, 'utf8'), script);
      assert.match(written.stderr, /powershell -NoProfile -ExecutionPolicy Bypass -File \.\\wac-doctor-collect\.ps1/);
      const bad = spawnSync(process.execPath, [BIN, 'collector-script', '-o', join(dir, 'missing', 'x.ps1')], { encoding: 'utf8' });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /^wac-doctor: --output .*cannot write/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is also `collector`, the name issue 14 uses: `wac-doctor collector > wac-doctor-collect.ps1`', () => {
    const printed = spawnSync(process.execPath, [BIN, 'collector'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    assert.equal(printed.status, 0, printed.stderr);
    assert.equal(printed.stdout, readFileSync(SCRIPT, 'utf8'));
    assert.deepEqual(parseCommandLine(['collector']), { command: 'collector-script' });
    assert.deepEqual(parseCommandLine(['collector', '-o', 'x.ps1']), { command: 'collector-script', output: 'x.ps1' });
    assert.throws(() => parseCommandLine(['collector', 'x']), /takes no arguments/);
  });

  it('takes only -o', () => {
    assert.deepEqual(parseCommandLine(['collector-script']), { command: 'collector-script' });
    assert.deepEqual(parseCommandLine(['collector-script', '-o', 'x.ps1']), { command: 'collector-script', output: 'x.ps1' });
    assert.throws(() => parseCommandLine(['collector-script', '--timeout', '5']), /--timeout does not apply to 'collector-script'/);
    assert.throws(() => parseCommandLine(['collector-script', 'x']), /takes no arguments/);
  });
});
