/**
 * Builds the extension into dist/:
 *   extension.js  activation: views, commands, diagnostics (small, loads fast)
 *   engine.js     core, rules and reporters, required on the first analysis
 *   webview.js    the report page's script with the @vscode-elements components it uses
 *   webview.css   the report page's styles
 * `node esbuild.js` for development (sourcemaps), `--production` minifies, `--watch` rebuilds.
 */
const esbuild = require('esbuild');
const { copyFileSync, mkdirSync, readdirSync } = require('node:fs');
const { writeFile } = require('node:fs/promises');
const { asciiOnly } = require('../cli/esbuild.js');
const { join } = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const dist = join(__dirname, 'dist');

/** Prints errors in the `file:line:col: error: message` form VS Code's problem matchers read. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [problemMatcher],
};

/**
 * engine.js is its own bundle, required at run time by Ctx.engine() (src/context.ts). Only that
 * require is left external: core has an './engine' of its own that must be bundled.
 */
const engineExternal = {
  name: 'engine-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/engine$/ }, (args) =>
      (args.importer === join(__dirname, 'src', 'context.ts') ? { path: './engine', external: true } : undefined));
  },
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
};

/**
 * engine.js is loaded through a V8 code cache (src/context.ts, bin/code-cache.js), which decodes an ASCII bundle as
 * latin1, several times faster than UTF-8: the few non-ASCII characters esbuild leaves (in regex literals) are
 * escaped (cli/esbuild.js asciiOnly). Written here rather than by esbuild.
 */
const asciiEngine = {
  name: 'ascii-engine',
  setup(build) {
    build.onEnd(async (result) => {
      for (const f of result.outputFiles ?? []) await writeFile(f.path, f.path.endsWith('.js') ? asciiOnly(f.text) : f.contents);
    });
  },
};

const builds = [
  { ...node, entryPoints: { extension: join(__dirname, 'src', 'extension.ts') }, outdir: dist, plugins: [...common.plugins, engineExternal] },
  { ...node, entryPoints: { engine: join(__dirname, 'src', 'engine.ts') }, outdir: dist, write: false, plugins: [...common.plugins, asciiEngine] },
  {
    ...common, entryPoints: { webview: join(__dirname, '..', 'webview', 'main.ts') }, outdir: dist,
    platform: 'browser', format: 'iife', target: 'chrome120',
  },
];

async function main() {
  mkdirSync(dist, { recursive: true });
  copyFileSync(join(__dirname, '..', 'webview', 'report.css'), join(dist, 'webview.css'));
  // The Windows collector ships in the .vsix as it is: "Save Windows Collector Script…" writes it out.
  copyFileSync(join(__dirname, '..', 'collector', 'wac-doctor-collect.ps1'), join(dist, 'wac-doctor-collect.ps1'));
  // The rule docs ship in the .vsix too, so "Open Rule Documentation" opens the bundled page (offline, the same version).
  const docs = join(dist, 'docs', 'rules');
  mkdirSync(docs, { recursive: true });
  for (const f of readdirSync(join(__dirname, '..', 'docs', 'rules'))) if (f.endsWith('.md')) copyFileSync(join(__dirname, '..', 'docs', 'rules', f), join(docs, f));
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
}

main().catch(() => process.exit(1));
