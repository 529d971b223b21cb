/**
 * A throwaway code-server for one E2E run: isolated config, user data, extensions and XDG dirs in a
 * temp folder, the .vsix installed, started on a free port and stopped by its PID.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ENTRY = join(__dirname, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export interface CodeServer {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function isolatedEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'xdg-config'), XDG_DATA_HOME: join(dir, 'xdg-data'), XDG_CACHE_HOME: join(dir, 'xdg-cache'),
    // Never talk to a VS Code this might run inside.
    VSCODE_IPC_HOOK_CLI: '',
  };
  for (const k of ['HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME'] as const) mkdirSync(env[k]!, { recursive: true });
  return env;
}

/** `profile`: the user-data folder, so a second session starts without the first one's trust decision. */
function args(dir: string, profile = 'user-data'): string[] {
  return ['--config', join(dir, 'config.yaml'), '--user-data-dir', join(dir, profile), '--extensions-dir', join(dir, 'extensions')];
}

export function installExtension(dir: string, vsix: string): void {
  const r = spawnSync(process.execPath, [ENTRY, ...args(dir), '--install-extension', vsix], { env: isolatedEnv(dir), encoding: 'utf8' });
  if (r.status !== 0 || !/was successfully installed/.test(r.stdout)) throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

export async function startCodeServer(dir: string, folder: string, userSettings: Record<string, unknown>, profile = 'user-data'): Promise<CodeServer> {
  mkdirSync(join(dir, profile, 'User'), { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), 'auth: none\ncert: false\n');
  writeFileSync(join(dir, profile, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  const port = await freePort();
  const logFile = join(dir, `code-server-${profile}.log`);
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(process.execPath, [
    ENTRY, ...args(dir, profile), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override', folder,
  ], { env: isolatedEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url} within 60 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url, logFile,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => { if (child.exitCode === null) child.kill('SIGKILL'); }, 5000).unref();
    }),
  };
}
