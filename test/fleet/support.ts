/** Shared by the fleet tests: the generated fixture set in a temp folder, and the CLI run from source. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFleetFixtures } from '../../scripts/fleet-fixtures';

export const ROOT = join(__dirname, '..', '..');

export function fixtureDir(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-fleet-'));
  writeFleetFixtures(dir);
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Run { code: number | null; stdout: string; stderr: string }

export const CLI_ARGS = ['--require', 'tsx/cjs', '-e', "require('./cli/main').main(process.argv.slice(1)).then((c) => { process.exitCode = c; })"];

/** The CLI from source (tsx), as a real process: exit code, stdout, stderr; `input` is written to its stdin. */
export function cli(args: readonly string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): Run {
  const r = spawnSync(process.execPath, [...CLI_ARGS, ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...options.env }, timeout: 60000, maxBuffer: 256 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
