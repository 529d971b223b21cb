/**
 * One format, one parser, whichever source delivered the text: the same extension `.status` file pasted, inside a
 * bundle folder, and on a live machine (`check`) gives the same extension.adminCenter fact. Before the parsers were
 * one, the live collector mapped `transitioning` with operation `Enable` to Updating and dropped sub-status messages,
 * while the bundle reader said Creating and kept them.
 */
import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFiles } from '../../core/sources/pasted';
import { analyzeBundle } from '../../core/sources/bundle/analyze-bundle';
import { reportFor } from '../../core/sources/live/check';
import { collect } from '../../core/sources/live/collect';
import { defineRule, pass, skip, type Rule } from '../../core/engine/rule';
import type { AdminCenterExtensionFact } from '../../core/model/facts';
import { recordedWindows } from '../live/harness/world';

const PLUGIN = ['Packages', 'Plugins', 'Microsoft.AdminCenter.AdminCenter'];

/** A rule that keeps what it was given: the fact as the real pipeline of each source resolved it. */
function capture(): { rule: Rule; seen: Array<AdminCenterExtensionFact | undefined> } {
  const seen: Array<AdminCenterExtensionFact | undefined> = [];
  const rule = defineRule({
    meta: { id: 'capture-extension', title: 'capture', category: 'extension', severity: 'warn', description: '', references: [], requires: [], optional: ['extension.adminCenter'], appliesTo: ['pasted', 'bundle', 'live'] },
    check(ctx) {
      const ext = ctx.get('extension.adminCenter');
      seen.push(ext && { ...ext });
      return ext ? pass('seen') : skip('none');
    },
  });
  return { rule, seen };
}

const statusText = (state: string, operation: string): string => JSON.stringify([{
  version: 1.0, timestampUTC: '2026-11-26T11:58:00Z',
  status: {
    name: 'Microsoft.AdminCenter.AdminCenter', operation, status: state, code: 12,
    formattedMessage: { lang: 'en-US', message: `${operation} ${state}` },
    substatus: [{ name: 'gateway', status: 'error', code: 5, formattedMessage: { message: 'port 6516 in use' } }],
  },
}], null, 2);

describe('one parser per format: the extension .status file from every source', function () {
  this.timeout(30000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wac-doctor-status-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function viaEverySource(text: string): Promise<Record<'pasted' | 'bundle' | 'live', AdminCenterExtensionFact | undefined>> {
    const status = join(dir, ...PLUGIN, '0.85.0.0', 'Status');
    await mkdir(status, { recursive: true });
    const file = join(status, '4.status');
    await writeFile(file, text);
    const pasted = capture();
    await analyzeFiles([file], { rules: [pasted.rule] });
    const bundle = capture();
    await analyzeBundle(dir, { rules: [bundle.rule] });
    const live = capture();
    const options = {
      ...recordedWindows('windows'), rules: [live.rule], timeoutMs: 3000, localHttps: false, networkInterfaces: () => ({}),
    };
    options.paths = { ...options.paths, extensionRoots: [join(dir, ...PLUGIN)], appsettings: [] };
    reportFor(await collect(options), options);
    return { pasted: pasted.seen[0], bundle: bundle.seen[0], live: live.seen[0] };
  }

  for (const [state, operation, expected] of [['transitioning', 'Enable', 'Creating'], ['transitioning', 'Update', 'Updating'], ['error', 'Enable', 'Failed'], ['success', 'Enable', 'Succeeded']] as const) {
    it(`${state} (${operation}) -> ${expected} in pasted, bundle and live alike`, async () => {
      const got = await viaEverySource(statusText(state, operation));
      assert.equal(got.bundle?.provisioningState, expected);
      assert.equal(got.bundle?.statusMessage, `${operation} ${state} / port 6516 in use`);
      assert.equal(got.bundle?.version, '0.85.0.0');
      // Live also reads the handler settings beside it (none here), so the facts compare whole.
      assert.deepEqual(got.pasted, got.bundle);
      assert.deepEqual(got.live, got.bundle);
    });
  }
});
