'use strict';
/**
 * Loads a CommonJS bundle through vm.Script with a V8 code cache, so a start compiles almost nothing
 * (node:module's enableCompileCache does this from Node 22; Node 20 needs it by hand). Used by bin/wac-doctor.js
 * for dist/cli/wac-doctor.js and by the VS Code extension for dist/engine.js.
 *
 * The cache file is one header line and V8's data:
 *   wac-code-cache 2 <SHA-256 of the bundle> <V8 version> <bundle size> <bundle ctime ns> <bundle inode> <data bytes> <data CRC-32>
 * It is used only when it was made for the bundle as it is now (its SHA-256) by this V8, and the data is intact
 * (V8 checks only a few header fields of its own in release builds: a changed byte of the data can crash the
 * process or run as wrong code), and V8 accepts it. Hashing the bundle costs a start the load of node:crypto
 * (3-8 ms), so the header also records the file's size, ctime and inode when it was hashed: a file cannot change
 * without a new ctime, so while those three match, the recorded hash stands. Otherwise the cache is ignored and,
 * once the caller's work has run (save(), so the functions that ran are in it), rewritten to a temporary file
 * renamed over the old one: a reader never sees half a file. A cache that cannot be read or written (read-only
 * install, full disk) costs only the cache: the bundle runs all the same.
 */
const { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const vm = require('node:vm');
const zlib = require('node:zlib');
const { isAscii } = require('node:buffer');

const MAGIC = 'wac-code-cache 2';

// node:crypto is loaded only when a bundle must be hashed.
const sha256 = (bytes) => require('node:crypto').createHash('sha256').update(bytes).digest('hex');
/** The data's check: CRC-32 (zlib, Node >= 20.15), or SHA-256 on older Node. */
const checksum = (bytes) => (typeof zlib.crc32 === 'function' ? `crc32:${zlib.crc32(bytes).toString(16)}` : `sha256:${sha256(bytes)}`);

/** The bundle's bytes and what identifies this file version without reading it: size, ctime, inode. */
function readBundle(file) {
  const fd = openSync(file, 'r');
  try {
    const st = fstatSync(fd, { bigint: true });
    return { source: readFileSync(fd), stamp: `${st.size} ${st.ctimeNs} ${st.ino}` };
  } finally {
    closeSync(fd);
  }
}

/** The header that keys a cache to one bundle text and one V8. */
function cacheHeader(hash, stamp, data) {
  return `${MAGIC} ${hash} ${process.versions.v8} ${stamp} ${data.length} ${checksum(data)}\n`;
}

/** The cache file's parts when it is whole and made by this V8: { hash, stamp, data }, else undefined. */
function readCache(cacheFile) {
  let raw;
  try {
    raw = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const nl = raw.indexOf(10);
  if (nl < 0 || nl > 400) return undefined;
  const f = raw.subarray(0, nl).toString('latin1').split(' ');
  const data = raw.subarray(nl + 1);
  if (f.length !== 9 || `${f[0]} ${f[1]}` !== MAGIC || !/^[0-9a-f]{64}$/.test(f[2]) || f[3] !== process.versions.v8) return undefined;
  if (Number(f[7]) !== data.length || f[8] !== checksum(data)) return undefined;
  return { hash: f[2], stamp: `${f[4]} ${f[5]} ${f[6]}`, data };
}

function writeCache(cacheFile, header, data) {
  const temp = `${cacheFile}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(temp, Buffer.concat([Buffer.from(header, 'latin1'), data]), { flag: 'wx' });
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
 * Runs `file` as a CommonJS module (its require resolves from its own directory; it is in require.cache under its
 * path, as require() would put it) and returns its exports, with `cached`: whether V8 took the code cache, and
 * save(): writes the cache when it was not used or its header is out of date (call it when the work that should be
 * cached has run; later calls do nothing). save() returns true when it wrote one.
 */
function loadWithCodeCache(file, cacheFile) {
  const { source, stamp } = readBundle(file);
  const found = readCache(cacheFile);
  // The recorded hash stands for an unchanged file; anything else is hashed (and a match re-stamped). With no
  // cache at all, hashing waits for save(): the first start after a build or an install does not pay for it.
  let hash = found ? (found.stamp === stamp ? found.hash : sha256(source)) : undefined;
  const cachedData = found && found.hash === hash ? found.data : undefined;
  // esbuild writes ASCII: decoding it as latin1 is the same text, several times faster than UTF-8.
  const text = source.toString(isAscii(source) ? 'latin1' : 'utf8');
  const script = new vm.Script(Module.wrap(text), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const cached = cachedData !== undefined && !script.cachedDataRejected;
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  Module._cache[file] = mod;
  try {
    script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
  } catch (err) {
    delete Module._cache[file];
    throw err;
  }
  mod.loaded = true;
  let pending = !cached || found.stamp !== stamp;
  return {
    exports: mod.exports,
    cached,
    save() {
      if (!pending) return false;
      pending = false;
      const data = cached ? cachedData : script.createCachedData();
      hash ??= sha256(source);
      return writeCache(cacheFile, cacheHeader(hash, stamp, data), data);
    },
  };
}

module.exports = { loadWithCodeCache, cacheHeader };
