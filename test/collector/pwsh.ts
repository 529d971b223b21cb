/**
 * Running the PowerShell collector from mocha: finds pwsh (PWSH, PATH, then the .NET global tool folder), skips the
 * suite with one line when it is missing, except under CI=true where a missing pwsh fails.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import yauzl from 'yauzl';

export const ROOT = join(__dirname, '..', '..');
export const SCRIPT = join(ROOT, 'collector', 'wac-doctor-collect.ps1');
export const INSTALL_HINT = 'bash scripts/install-powershell.sh (dotnet tool install --global PowerShell --version 7.6.9, Pester 5.7.1 from NuGet)';

let found: string | null | undefined;

export function findPwsh(): string | undefined {
  if (found !== undefined) return found ?? undefined;
  const candidates = [
    process.env.PWSH,
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, process.platform === 'win32' ? 'pwsh.exe' : 'pwsh')),
    join(process.env.DOTNET_TOOLS ?? join(homedir(), '.dotnet', 'tools'), process.platform === 'win32' ? 'pwsh.exe' : 'pwsh'),
  ].filter((p): p is string => Boolean(p));
  found = candidates.find((p) => existsSync(p)) ?? null;
  return found ?? undefined;
}

let hinted = false;

/** In a `before`: skips the suite when pwsh is missing (one line, once), fails under CI=true. */
export function requirePwsh(ctx: Mocha.Context): string {
  const pwsh = findPwsh();
  if (pwsh) return pwsh;
  if (process.env.CI === 'true') throw new Error(`pwsh not found and CI=true: PowerShell tests must run in CI; install it with ${INSTALL_HINT}`);
  if (!hinted) {
    hinted = true;
    console.log(`      PowerShell tests skipped: pwsh not found; install it with ${INSTALL_HINT}`);
  }
  ctx.skip();
}

/** Pester 5.7.1 importable by this pwsh? */
export function hasPester(pwsh: string): boolean {
  try {
    execFileSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', "if (Get-Module -ListAvailable Pester | Where-Object { $_.Version -ge [version]'5.0' }) { exit 0 } else { exit 1 }"], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface PwshRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

export function runPwsh(pwsh: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<PwshRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(pwsh, ['-NoProfile', '-NonInteractive', ...args], {
      env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 120_000, maxBuffer: 32 * 1024 * 1024, cwd: options.cwd ?? ROOT,
    }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? (err as unknown as { code: number }).code : null) : 0;
      resolve({ code, stdout, stderr, wallMs: Date.now() - started });
    });
  });
}

/** Every entry of a zip as text, in zip order. */
export function readZip(path: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`cannot open ${path}`));
      const out = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** `in 2.3 s` of the script's summary line, in milliseconds. */
export function summaryDurationMs(stdout: string): number | undefined {
  const m = /wac-doctor: wrote .* in ([\d.,]+) s/.exec(stdout);
  return m ? Math.round(Number(m[1]!.replace(',', '.')) * 1000) : undefined;
}
