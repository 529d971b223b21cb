/**
 * Peak memory of one big pasted file: generates a file of each shape (default 64 MiB), analyzes it in a fresh
 * child process (`wac-doctor analyze` as the CLI runs it) and prints the child's baseline RSS, peak RSS and
 * their ratio to the file size. A figure for the notes, not a test: memory depends on the machine.
 *
 *   npx tsx scripts/pasted-rss.ts [MiB] [shape...]      shapes: plain, log, get-service, show, utf16, crlf
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SHAPES: Record<string, { line: (i: number) => string; head?: string; encoding?: BufferEncoding; bom?: Buffer }> = {
  plain: { line: (i) => `line ${i} some ordinary text with words and numbers ${i * 7}\n` },
  log: { line: (i) => `time="2026-09-14T08:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z" level=info msg="heartbeat ${i}"\n` },
  'get-service': { head: 'Status   Name               DisplayName\n------   ----               -----------\n', line: (i) => `Running  svc${i}            Service number ${i}\n` },
  show: { head: 'Resource Name                           : SRV-WEB-07\nAgent Version                           : 1.45.02800.1234\nAgent Status                            : Connected\n', line: (i) => `  Extra Field ${i}                      : value ${i}\n` },
  utf16: { head: 'Status   Name               DisplayName\r\n------   ----               -----------\r\n', line: (i) => `Running  svc${i}            Service ünïcode ${i}\r\n`, encoding: 'utf16le', bom: Buffer.from([0xff, 0xfe]) },
  crlf: { line: (i) => `line ${i} some ordinary text\r\n` },
};

function makeFile(path: string, shape: string, bytes: number): void {
  const s = SHAPES[shape]!;
  const enc = s.encoding ?? 'utf8';
  const buf = Buffer.alloc(bytes);
  let o = 0;
  if (s.bom) o += s.bom.copy(buf, o);
  if (s.head) o += buf.write(s.head, o, enc);
  for (let i = 0; o < bytes; i++) {
    const n = buf.write(s.line(i), o, enc);
    if (n === 0) break;
    o += n;
  }
  writeFileSync(path, buf.subarray(0, o & ~1));
}

/** Runs in the child: baseline RSS after loading, then the analysis, then peak RSS. */
const CHILD = `
const { analyzeInputs } = require('./core/sources/targets');
const { RULES } = require('./rules');
const base = process.memoryUsage().rss;
const t0 = process.hrtime.bigint();
analyzeInputs([process.argv[1]], { rules: RULES, workers: 1 }).then((reports) => {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const input = reports[0].inputs[0];
  process.stdout.write(JSON.stringify({ base, peak: process.resourceUsage().maxRSS * 1024, ms, status: input.status, kind: input.kind, message: input.messages[0] }));
}, (err) => { process.stdout.write(JSON.stringify({ error: String(err && err.message) })); });
`;

function main(): void {
  const [mibArg, ...shapeArgs] = process.argv.slice(2);
  const mib = Number(mibArg ?? 64);
  const shapes = shapeArgs.length > 0 ? shapeArgs : Object.keys(SHAPES);
  const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-rss-'));
  const root = join(__dirname, '..');
  try {
    for (const shape of shapes) {
      if (!SHAPES[shape]) throw new Error(`unknown shape ${shape}; expected ${Object.keys(SHAPES).join(', ')}`);
      const path = join(dir, `${shape}.txt`);
      makeFile(path, shape, mib * 1024 * 1024);
      const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', CHILD, path], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
      let out: { base?: number; peak?: number; ms?: number; status?: string; kind?: string; message?: string; error?: string };
      try {
        out = JSON.parse(r.stdout) as typeof out;
      } catch {
        out = { error: (r.stderr || r.stdout).split('\n').find((l) => l.trim()) ?? `exit ${r.status}` };
      }
      const mb = (n: number | undefined): string => (n === undefined ? '?' : `${(n / 1048576).toFixed(0)} MiB`);
      const ratio = out.peak !== undefined && out.base !== undefined ? ((out.peak - out.base) / (mib * 1048576)).toFixed(1) : '?';
      console.log(`${shape.padEnd(12)} ${mib} MiB file: baseline ${mb(out.base)}, peak ${mb(out.peak)} (+${ratio}x the file), ${out.ms?.toFixed(0) ?? '?'} ms, ${out.error ? `ERROR ${out.error}` : `${out.status} as ${out.kind ?? '-'}`}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
