/** What every part of the extension shares: the results, settings, the lazily loaded engine, logging. */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type * as Engine from './engine';
import { readSettings, type Settings } from './model/settings';
import { TargetStore } from './model/store';

export class Ctx implements vscode.Disposable {
  readonly store = new TargetStore();
  /** The target the user last selected or analysed; commands without an argument act on it. */
  currentTargetId: string | undefined;
  private engineModule: typeof Engine | undefined;
  private outputChannel: vscode.LogOutputChannel | undefined;
  private reportedProblems = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {}

  /** Core, parsers, rules and reporters: loaded on first use, not at activation. */
  engine(): typeof Engine {
    return (this.engineModule ??= this.loadEngine());
  }

  /**
   * The engine bundle (a separate esbuild entry, dist/engine.js) through a V8 code cache in the extension's global
   * storage (bin/code-cache.js: keyed by the bundle's SHA-256 and V8, ignored and rewritten when stale or
   * damaged): compiling the bundle was most of the first analysis. The cache is written once, after the call that
   * asked for the engine (a pasted analysis runs synchronously), so the functions it ran are in it. Under
   * mocha/tsx `./engine` is engine.ts: a plain require.
   */
  private loadEngine(): typeof Engine {
    /* eslint-disable @typescript-eslint/no-require-imports -- lazy loads the engine bundle (and the cache loader) on first use, not at activation */
    const path = require.resolve('./engine');
    const storage = (this.extension.globalStorageUri as vscode.Uri | undefined)?.fsPath;
    if (!path.endsWith('.js') || !storage) return require('./engine') as typeof Engine;
    const { loadWithCodeCache } = require('../../bin/code-cache') as typeof import('../../bin/code-cache');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const loaded = loadWithCodeCache(path, join(storage, `engine.js.${process.versions.v8}.cache`));
    setImmediate(() => loaded.save());
    return loaded.exports as typeof Engine;
  }

  get log(): vscode.LogOutputChannel {
    if (!this.outputChannel) {
      this.outputChannel = vscode.window.createOutputChannel('WAC Doctor', { log: true });
      this.disposables.push(this.outputChannel);
    }
    return this.outputChannel;
  }

  settings(): Settings {
    const config = vscode.workspace.getConfiguration('wacDoctor');
    const { settings, problems } = readSettings((k) => config.get(k), this.engine().ruleIds());
    for (const p of problems) {
      if (this.reportedProblems.has(p)) continue;
      this.reportedProblems.add(p);
      this.log.warn(p);
      void vscode.window.showWarningMessage(`WAC Doctor: ${p}`);
    }
    return settings;
  }

  /** Light settings for rendering (no engine load): redaction and the fail-on level. */
  viewSettings(): Pick<Settings, 'redact' | 'failOn'> {
    const config = vscode.workspace.getConfiguration('wacDoctor');
    return { redact: config.get('redact') !== false, failOn: config.get('failOn') === 'warn' ? 'warn' : 'fail' };
  }

  /** Errors for the user: one line, never a stack; unexpected ones go to the log in full. */
  reportError(action: string, err: unknown): void {
    const e = this.engineModule;
    const known = err instanceof Error && (err.name === 'UserError' || err.name === 'InputError' || err.name === 'EntryError' || (e !== undefined && err instanceof e.UserError));
    const message = err instanceof Error ? err.message : String(err);
    if (known) {
      void vscode.window.showErrorMessage(`WAC Doctor: ${message}`);
    } else {
      this.log.error(`${action}: ${err instanceof Error && err.stack ? err.stack : message}`);
      void vscode.window.showErrorMessage(`WAC Doctor: ${action} failed: ${message}`, 'Show Log').then((c) => { if (c) this.log.show(); });
    }
  }

  push(...d: vscode.Disposable[]): void {
    this.disposables.push(...d);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** A model location -> a vscode.Uri. */
export { toUri } from './documents/uris';
