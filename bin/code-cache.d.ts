/** Types of bin/code-cache.js (plain CommonJS so bin/ runs before anything is compiled). */
export interface CodeCacheLoad {
  /** The module's exports. */
  exports: unknown;
  /** Whether V8 took the code cache (false: none, stale, corrupt or rejected). */
  cached: boolean;
  /** Writes the cache when it was not used (first call only); true when one was written. */
  save(): boolean;
}

/** Runs `file` (CommonJS) through vm.Script with the V8 code cache at `cacheFile`. */
export function loadWithCodeCache(file: string, cacheFile: string): CodeCacheLoad;

/** The header line that keys a cache file to one bundle text (its SHA-256, and the size, ctime and inode it had when hashed) and one V8. */
export function cacheHeader(hash: string, stamp: string, data: Buffer): string;
