/**
 * README documents everything the CLI accepts and nothing it doesn't (issue 9 item 18): its option table against
 * cli/args.ts's option table, both directions; the formats `rules` and `explain` take against what the CLI does;
 * the environment variables and the text limit against the code.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPTIONS } from '../cli/args';
import { FORMATS } from '../core/reporters';
import { MAX_TEXT_BYTES } from '../core/text/text-input';

const ROOT = join(__dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const BIN = join(ROOT, 'bin', 'wac-doctor.js');

/** The first cell of each row of the table under `### Options`. */
function readmeOptionCells(): string[] {
  const start = README.indexOf('### Options\n');
  assert.ok(start >= 0, 'README has an Options section');
  const end = README.indexOf('\n### ', start + 1);
  return README.slice(start, end).split('\n').filter((l) => l.startsWith('| `')).map((l) => l.split(' | ')[0]!);
}

/** Option names in a cell: `--long` and `-s` words (not the `-` of `-o -`). */
function namesIn(cell: string): string[] {
  return [...cell.matchAll(/(?<![\w-])(--[a-z][a-z-]*|-[A-Za-z])(?![\w-])/g)].map((m) => m[1]!);
}

describe('README options match the CLI (issue 9 item 18)', () => {
  it('every option in cli/args.ts is in the README table, and the table names no other', () => {
    const documented = new Set(readmeOptionCells().flatMap(namesIn));
    const accepted = new Set(Object.entries(OPTIONS).flatMap(([long, o]) => [`--${long}`, ...('short' in o ? [`-${o.short}`] : [])]));
    assert.deepEqual([...accepted].filter((n) => !documented.has(n)).sort(), [], 'accepted but not documented');
    assert.deepEqual([...documented].filter((n) => !accepted.has(n)).sort(), [], 'documented but not accepted');
  });

  it('the table puts each short option beside its long one', () => {
    const cells = readmeOptionCells();
    for (const [long, o] of Object.entries(OPTIONS)) {
      if (!('short' in o)) continue;
      assert.ok(cells.some((c) => c.includes(`-${o.short}, --${long}`)), `-${o.short}, --${long}`);
    }
  });

  it('the formats README gives for rules and explain are the ones the CLI takes', () => {
    const row = readmeOptionCells().find((c) => c.includes('--format'));
    assert.ok(row);
    const line = README.split('\n').find((l) => l.startsWith(row))!;
    const listed = /`rules` and `explain`: ((?:`[a-z]+`(?:, )?)+)/.exec(line)?.[1]?.match(/[a-z]+/g) ?? [];
    for (const command of [['rules'], ['explain', 'wac-port']]) {
      const taken = FORMATS.filter((f) => spawnSync(process.execPath, [BIN, ...command, '--format', f], { encoding: 'utf8' }).status === 0);
      assert.deepEqual(taken, listed, command[0]);
    }
  });

  it('names the environment variables and the text limit the code uses', () => {
    const code = readFileSync(join(ROOT, 'cli', 'main.ts'), 'utf8');
    for (const env of ['WAC_DOCTOR_DEBUG', 'NO_COLOR']) {
      assert.ok(code.includes(`env.${env}`), `${env} in cli/main.ts`);
      assert.ok(README.includes(`\`${env}\``), `${env} in README`);
    }
    assert.equal(MAX_TEXT_BYTES, 64 * 1024 * 1024);
    assert.ok(README.includes(`64 MiB (${MAX_TEXT_BYTES} bytes)`));
  });
});
