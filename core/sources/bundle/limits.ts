/**
 * Caps that keep a hostile bundle (zip bomb, 100,000 entries, a 50 MB line) from costing more than a fixed
 * amount of memory and time. Generous for real `azcmagent logs --full` bundles (tens to hundreds of MB).
 */
export interface BundleLimits {
  /** Largest uncompressed entry read. */
  maxEntryBytes: number;
  /** Uncompressed bytes inflated across the bundle (declared sizes, which are enforced); later entries are skipped. */
  maxTotalBytes: number;
  /** Time spent reading one bundle; later entries are skipped (the worker pool's hard stop comes later). */
  maxMillis: number;
  /** Uncompressed/compressed ratio above which a large entry is treated as a zip bomb. */
  maxRatio: number;
  /** Entries smaller than this are never refused for their ratio (tiny files compress well); from this size on they are. */
  ratioMinBytes: number;
  /** Entries looked at (names and sizes); past this the listing stops. */
  maxEntries: number;
  /** Entries read that no log parser claims (offered to the pasted parsers). */
  maxOtherEntries: number;
  /** Largest entry read whole: configs, status files, command outputs. */
  maxSmallTextBytes: number;
  /** Longest line kept; the rest of a longer line is dropped. */
  maxLineChars: number;
  /** Folder inputs: deepest directory walked. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: BundleLimits = {
  maxEntryBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
  maxMillis: 5 * 60 * 1000,
  maxRatio: 200,
  ratioMinBytes: 1024 * 1024,
  maxEntries: 200_000,
  maxOtherEntries: 2_000,
  maxSmallTextBytes: 8 * 1024 * 1024,
  maxLineChars: 64 * 1024,
  maxDepth: 24,
};

export function limitsWith(overrides?: Partial<BundleLimits>): BundleLimits {
  return { ...DEFAULT_LIMITS, ...(overrides ?? {}) };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
