/** Bundles: `azcmagent logs` zips, extracted folders and wac-doctor snapshots, one Report each. */
export { analyzeBundle, errorReport, EXPECTED_INPUT, type BundleOptions, type BundleProgress } from './analyze-bundle';
export { analyzeBundles, type PoolOptions } from './pool';
export { DEFAULT_LIMITS, type BundleLimits } from './limits';
export { isZipMagic } from './zip-source';
export { EntryNotFound, readBundleEntryBytes, type FoundEntry } from './lookup';
