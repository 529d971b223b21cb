import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../rules';

const EXT = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(EXT, 'package.json'), 'utf8')) as {
  activationEvents: string[]; main: string; extensionKind: string[]; engines: { vscode: string };
  capabilities: { untrustedWorkspaces: { supported: string }; virtualWorkspaces: { supported: string } };
  contributes: { commands: Array<{ command: string }>; menus: Record<string, Array<{ command?: string; submenu?: string }>>; configuration: { properties: Record<string, { items?: { enum?: string[] } }> } };
};

describe('extension manifest', () => {
  it('activates lazily and declares limited trust and virtual-workspace support', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.ok(manifest.activationEvents.includes('onView:wacDoctor.results'));
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.equal(manifest.capabilities.virtualWorkspaces.supported, 'limited');
    assert.deepEqual(manifest.extensionKind, ['workspace']);
    assert.equal(manifest.main, './dist/extension.js');
    // code-server 4.100.3 (the E2E host) is VS Code 1.100.
    assert.equal(manifest.engines.vscode, '^1.100.0');
  });

  it('registers exactly the commands it contributes, and menus name only those', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    const source = readFileSync(join(__dirname, 'commands', 'index.ts'), 'utf8');
    const registered = [...source.matchAll(/'(wacDoctor\.[A-Za-z]+)':/g)].map((m) => m[1]!).sort();
    assert.deepEqual(registered, contributed);
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) if (item.command) assert.ok(contributed.includes(item.command), `${menu}: ${item.command}`);
    }
  });

  it('offers every rule, and only rules, in wacDoctor.disabledRules', () => {
    assert.deepEqual(manifest.contributes.configuration.properties['wacDoctor.disabledRules']!.items!.enum, RULES.map((r) => r.meta.id));
  });
});
