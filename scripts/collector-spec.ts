/**
 * The PowerShell collector's generated spec block (core/sources/live/collector-spec.ts as JSON).
 *   node dist/scripts/collector-spec.js          prints the block's JSON
 *   node dist/scripts/collector-spec.js --write  rewrites it in collector/wac-doctor-collect.ps1
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectorSpecJson } from '../core/sources/live/collector-spec';

export const SCRIPT_PATH = join(__dirname, '..', '..', 'collector', 'wac-doctor-collect.ps1');
const BLOCK = /(# BEGIN GENERATED SPEC\r?\n\$Spec = ConvertFrom-Json @'\r?\n)([\s\S]*?)(\r?\n'@\r?\n# END GENERATED SPEC)/;

/** The JSON text inside the script's block, or undefined when the block is missing. */
export function scriptSpecBlock(script: string): string | undefined {
  return BLOCK.exec(script)?.[2];
}

export function withSpecBlock(script: string, json: string): string {
  if (!BLOCK.test(script)) throw new Error('the script has no "# BEGIN GENERATED SPEC" block');
  return script.replace(BLOCK, (_m, head: string, _old: string, tail: string) => `${head}${json}${tail}`);
}

if (require.main === module) {
  const json = collectorSpecJson();
  if (process.argv.includes('--write')) {
    const path = process.argv[process.argv.indexOf('--write') + 1] ?? SCRIPT_PATH;
    writeFileSync(path, withSpecBlock(readFileSync(path, 'utf8'), json));
    process.stdout.write(`wrote the spec block into ${path}\n`);
  } else {
    process.stdout.write(`${json}\n`);
  }
}
