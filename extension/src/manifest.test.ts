import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../rules';

const EXT = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(EXT, 'package.json'), 'utf8')) as {
  activationEvents: string[]; main: string; extensionKind: string[]; engines: { vscode: string };
  capabilities: { untrustedWorkspaces: { supported: string }; virtualWorkspaces: { supported: string } };
  contributes: {
    commands: Array<{ command: string }>; menus: Record<string, Array<{ command?: string; submenu?: string; when?: string }>>; configuration: { properties: Record<string, { items?: { enum?: string[] } }> };
    views: Record<string, Array<{ id: string; when?: string }>>; viewsWelcome: Array<{ view: string; when?: string }>;
  };
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

  it('names only contributed views in when-clauses, and only context keys the code sets', () => {
    const views = Object.values(manifest.contributes.views).flat();
    const whens = [...Object.values(manifest.contributes.menus).flat().map((m) => m.when), ...views.map((v) => v.when), ...manifest.contributes.viewsWelcome.map((v) => v.when)]
      .filter((w): w is string => w !== undefined);
    const src = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? src(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [readFileSync(join(dir, e.name), 'utf8')] : []));
    const code = src(__dirname).join('\n');
    const set = new Set([...code.matchAll(/'setContext', '(wacDoctor\.[A-Za-z]+)'/g)].map((m) => m[1]!));
    const ids = new Set(views.map((v) => v.id));
    for (const when of whens) {
      for (const m of when.matchAll(/view == ([\w.]+)/g)) assert.ok(ids.has(m[1]!), `${when}: no view ${m[1]}`);
      for (const m of when.matchAll(/view =~ \/\^wacDoctor\\\.\(([\w|]+)\)\$\//g)) for (const v of m[1]!.split('|')) assert.ok(ids.has(`wacDoctor.${v}`), `${when}: no view ${v}`);
      const keys = when.replace(/view (==|=~) \S+/g, '').matchAll(/\b(wacDoctor\.[A-Za-z]+)/g);
      for (const k of keys) assert.ok(set.has(k[1]!), `${when}: the code never sets ${k[1]}`);
    }
    assert.ok(set.has('wacDoctor.fleet') && set.has('wacDoctor.fleetGrouping'));
  });
});
