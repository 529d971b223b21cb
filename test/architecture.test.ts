/**
 * The import graph: every relative import, export-from, require() and import() of every .ts file, read with
 * the TypeScript compiler's own pre-processor (no regex), type-only imports included. See docs/architecture.md.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..');
const FOLDERS = ['core', 'rules', 'cli', 'extension/src', 'webview', 'scripts', 'bench', 'test'];
const SKIP = new Set(['node_modules', 'dist', 'testdata']);

/** Repository-relative paths with forward slashes. */
const rel = (abs: string): string => relative(ROOT, abs).split(sep).join('/');

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : tsFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The .ts file a relative specifier names (`./x` -> x.ts or x/index.ts), or undefined for anything else (.js, .json, packages). */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

export interface ImportGraph {
  files: string[];
  /** file -> the repository files it imports (repository-relative paths). */
  edges: Map<string, string[]>;
}

export function importGraph(root = ROOT, folders = FOLDERS): ImportGraph {
  const files = folders.flatMap((f) => tsFiles(join(root, f))).sort();
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles.map((f) => resolveImport(file, f.fileName)).filter((t) => t !== undefined);
    edges.set(rel(file), [...new Set(targets.map(rel))]);
  }
  return { files: files.map(rel), edges };
}

/** Every cycle's path (a -> b -> ... -> a): one per back edge of a depth-first search, so each loop is named at least once. */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const s = state.get(next);
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

const isTest = (file: string): boolean => file.endsWith('.test.ts');
const under = (file: string, folder: string): boolean => file.startsWith(`${folder}/`);

/** `from -> to` for every import that breaks a rule. */
function violations(graph: ImportGraph, applies: (from: string) => boolean, forbidden: (to: string, from: string) => boolean): string[] {
  return [...graph.edges].filter(([from]) => applies(from)).flatMap(([from, tos]) => tos.filter((to) => forbidden(to, from)).map((to) => `${from} -> ${to}`));
}

/**
 * The rules of the layout, as pure functions of the graph (so they can be shown to fail on a made-up graph).
 * Test files beside core modules may import rules/ (the real rule set) and test/support/ (fixtures): that is
 * the one allowance, and it is for *.test.ts files only.
 */
export function layoutViolations(graph: ImportGraph): Record<string, string[]> {
  const shell = (f: string): boolean => under(f, 'cli') || under(f, 'extension/src');
  const production = (f: string): boolean => !isTest(f) && !under(f, 'test') && ['core', 'rules', 'cli', 'extension/src', 'webview'].some((d) => under(f, d));
  return {
    cycles: findCycles(graph.edges).map((c) => c.join(' -> ')),
    'core imports rules/, cli/, extension/, webview/ or test/': violations(graph, (f) => under(f, 'core') && !isTest(f),
      (to) => !under(to, 'core')),
    'core tests import cli/, extension/ or webview/': violations(graph, (f) => under(f, 'core') && isTest(f),
      (to) => !under(to, 'core') && !under(to, 'rules') && !under(to, 'test/support')),
    'cli/ or extension/src/ import core other than core/index.ts': violations(graph, shell,
      (to) => under(to, 'core') && to !== 'core/index.ts'),
    'production code imports test/': violations(graph, production, (to) => under(to, 'test')),
  };
}

describe('architecture: the import graph', () => {
  const graph = importGraph();

  it('sees the whole tree: every folder has files, and imports are resolved (the shells reach core/index.ts)', () => {
    for (const folder of ['core', 'rules', 'cli', 'extension/src', 'test']) assert.ok(graph.files.some((f) => under(f, folder)), folder);
    assert.ok(graph.edges.get('cli/main.ts')?.includes('core/index.ts'));
    assert.ok(graph.edges.get('extension/src/engine.ts')?.includes('core/index.ts'));
    // require() and import() count: the reporters dispatcher loads each format lazily.
    assert.ok(graph.edges.get('core/reporters/index.ts')?.includes('core/reporters/text.ts'));
  });

  for (const [name, found] of Object.entries(layoutViolations(graph))) {
    it(`no ${name}`, () => assert.deepEqual(found, [], `\n${found.join('\n')}`));
  }

  it('the checks catch what they are for (a made-up graph breaking each rule once)', () => {
    const made: ImportGraph = {
      files: [],
      edges: new Map([
        ['core/a.ts', ['core/b.ts', 'rules/index.ts']],
        ['core/b.ts', ['core/a.ts']],
        ['core/a.test.ts', ['rules/index.ts', 'test/support/testing.ts', 'cli/main.ts']],
        ['cli/main.ts', ['core/index.ts', 'core/model/report.ts']],
        ['extension/src/x.ts', ['test/support/testing.ts']],
      ]),
    };
    assert.deepEqual(layoutViolations(made), {
      cycles: ['core/a.ts -> core/b.ts -> core/a.ts'],
      'core imports rules/, cli/, extension/, webview/ or test/': ['core/a.ts -> rules/index.ts'],
      'core tests import cli/, extension/ or webview/': ['core/a.test.ts -> cli/main.ts'],
      'cli/ or extension/src/ import core other than core/index.ts': ['cli/main.ts -> core/model/report.ts'],
      'production code imports test/': ['extension/src/x.ts -> test/support/testing.ts'],
    });
  });
});
