/**
 * Bundles the CLI (cli/main.ts with core and rules) into one file, dist/cli/wac-doctor.js, for start-up time:
 * one module to read and compile (with a V8 code cache, bin/code-cache.js) instead of some 70. Run after
 * `tsc -p tsconfig.json` (the npm scripts do): bin/wac-doctor.js runs the bundle only when it is at least as new
 * as the tsc build, and the bundle relies on that build for what runs outside it:
 * - packages (yauzl, systeminformation, stream-json, ...) stay external, loaded from node_modules on first use;
 * - worker threads load their tsc-compiled entries (dist/core/sources/bundle/worker.js, dist/cli/fleet-worker.js),
 *   and `require.resolve('../rules')` (the rule set workers load) names dist/rules/index.js;
 * - modules that use __dirname/__filename (the worker entries, the collector script's path) see the directory of
 *   their tsc output, as if they had not been bundled.
 * Lazily required pipelines stay lazy: esbuild wraps a module loaded by require() so it runs on first call.
 * `node cli/esbuild.js` builds; exits 1 on an error.
 */
'use strict';
const esbuild = require('esbuild');
const { mkdir, readFile, writeFile } = require('node:fs/promises');
const { basename, dirname, join, relative, sep } = require('node:path');

const ROOT = join(__dirname, '..');
const OUTFILE = join(ROOT, 'dist', 'cli', 'wac-doctor.js');

/** `require.resolve('../rules')` in cli/main.ts: kept as a runtime lookup (it names the module workers load). */
const ruleSetPath = {
  name: 'rule-set-path',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/rules$/ }, (args) => (args.kind === 'require-resolve' ? { path: args.path, external: true } : undefined));
  },
};

const posix = (p) => p.split(sep).join('/');

/**
 * Each repository module that names __dirname or __filename gets its own constants for them: the directory and
 * file its tsc output has under dist/ (computed from the bundle's own location at run time, so an installed copy
 * works wherever it is). The constants go on the module's first line so line numbers stay as in the source.
 */
const tscPaths = {
  name: 'tsc-paths',
  setup(build) {
    let n = 0;
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!/\b__(?:dirname|filename)\b/.test(source) || args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const id = n++;
      const tscDir = posix(relative(dirname(OUTFILE), join(ROOT, 'dist', relative(ROOT, dirname(args.path)))));
      const dir = `__wac_dirname_${id}`;
      const file = `__wac_filename_${id}`;
      const head = `const ${dir} = require("node:path").join(__dirname, ${JSON.stringify(tscDir)}); `
        + `const ${file} = require("node:path").join(${dir}, ${JSON.stringify(basename(args.path).replace(/\.ts$/, '.js'))}); `;
      const body = source.replace(/\b__dirname\b/g, dir).replace(/\b__filename\b/g, file);
      return { contents: head + body, loader: 'ts', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * esbuild escapes non-ASCII characters in strings but leaves them in regular expression literals: escape those
 * too (\uXXXX means the same in a regex, a string or a template), so the bundle is ASCII and bin/code-cache.js can
 * decode it as latin1 (the same text, several times faster than UTF-8). String.raw templates would keep the
 * escape as text: the build refuses to escape inside one.
 */
function asciiOnly(text) {
  return text.replace(/[^\x00-\x7f]/g, (ch, at) => {
    const before = text.lastIndexOf('String.raw`', at);
    if (before >= 0 && text.indexOf('`', before + 11) > at) throw new Error(`cli/esbuild.js: non-ASCII character inside String.raw at offset ${at}`);
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

async function build() {
  const result = await esbuild.build({
    entryPoints: [join(ROOT, 'cli', 'main.ts')],
    outfile: OUTFILE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    // Names stay (error classes, stack traces); whitespace and syntax minified: less to read and hash on each start.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'warning',
    plugins: [ruleSetPath, tscPaths],
    write: false,
  });
  const [out] = result.outputFiles;
  await mkdir(dirname(OUTFILE), { recursive: true });
  await writeFile(OUTFILE, asciiOnly(out.text));
}

if (require.main === module) {
  build().catch(() => process.exit(1));
}

module.exports = { build, asciiOnly, OUTFILE };
