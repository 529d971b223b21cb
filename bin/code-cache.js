'use strict';
/**
 * Loads a CommonJS bundle through vm.Script with a V8 code cache, so a start compiles almost nothing
 * (node:module's enableCompileCache does this from Node 22; Node 20 needs it by hand). Used by bin/wac-doctor.js
 * for dist/cli/wac-doctor.js and by the VS Code extension for dist/engine.js.
 *
 * The cache file holds a header line `wac-code-cache 1 <sha256 of the bundle> <V8 version> <bytes> <sha256 of the
 * data>` and V8's data. It is used only when the header matches the bundle as read now and this V8 and the data
 * its own hash (V8 checks only a few header fields in release builds: a flipped byte in the data can crash the
 * process or be taken as code), and V8 accepts the data; otherwise
 * it is ignored and, once the caller's work is done (save(), so the functions that ran are in it), rewritten:
 * to a temporary file renamed over the old one, so a reader never sees half a file. A cache that cannot be read
 * or written (read-only install, full disk) costs only the cache: the bundle runs all the same.
 */
const { createHash, randomBytes } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const vm = require('node:vm');

const MAGIC = 'wac-code-cache 1';

/** The header that keys a cache to one bundle text and one V8. */
function cacheHeader(hash, data) {
  return `${MAGIC} ${hash} ${process.versions.v8} ${data.length} ${sha256(data)}\n`;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** V8's data from a cache file when its header matches, else undefined (missing, stale, truncated, garbage). */
function readCache(cacheFile, hash) {
  let raw;
  try {
    raw = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const nl = raw.indexOf(10);
  if (nl < 0 || nl > 300) return undefined;
  const fields = raw.subarray(0, nl).toString('latin1').split(' ');
  const data = raw.subarray(nl + 1);
  if (fields.length !== 6 || `${fields[0]} ${fields[1]}` !== MAGIC || fields[2] !== hash || fields[3] !== process.versions.v8) return undefined;
  if (Number(fields[4]) !== data.length || fields[5] !== sha256(data)) return undefined;
  return data;
}

function writeCache(cacheFile, hash, data) {
  const temp = `${cacheFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(temp, Buffer.concat([Buffer.from(cacheHeader(hash, data), 'latin1'), data]), { flag: 'wx' });
    renameSync(temp, cacheFile);
    return true;
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // never written
    }
    return false;
  }
}

/**
 * Runs `file` as a CommonJS module (its require resolves from its own directory) and returns its exports, with
 * `cached`: whether V8 took the code cache, and save(): writes the cache when it was not used (call it when the
 * work that should be cached has run; later calls do nothing). Returns true when it wrote one.
 */
function loadWithCodeCache(file, cacheFile) {
  const source = readFileSync(file);
  const hash = sha256(source);
  const cachedData = readCache(cacheFile, hash);
  const script = new vm.Script(Module.wrap(source.toString('utf8')), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const cached = cachedData !== undefined && !script.cachedDataRejected;
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  const localRequire = Module.createRequire(file);
  script.runInThisContext().call(mod.exports, mod.exports, localRequire, mod, file, dirname(file));
  mod.loaded = true;
  let pending = !cached;
  return {
    exports: mod.exports,
    cached,
    save() {
      if (!pending) return false;
      pending = false;
      return writeCache(cacheFile, hash, script.createCachedData());
    },
  };
}

module.exports = { loadWithCodeCache, cacheHeader };
