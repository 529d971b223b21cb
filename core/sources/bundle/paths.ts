/**
 * Entry names as bundles write them -> one normalised form: `\` -> `/`, no drive letter, no leading slash,
 * no `.` segments. `..` segments are dropped and flagged (zip slip): nothing is ever written to disk, so they
 * are only a sign of a crafted archive. Files are then found by case-insensitive suffix, never exact path.
 */

export interface NormalisedPath {
  /** e.g. `ProgramData/AzureConnectedMachineAgent/Log/himds.log` (case kept). */
  path: string;
  /** The name had `..` segments. */
  escapes: boolean;
  /** The name was absolute (drive letter, UNC or leading slash): normal in bundles, noted only for `..`. */
  absolute: boolean;
}

const MAX_PATH_CHARS = 1024;

export function normaliseEntryPath(raw: string): NormalisedPath {
  let p = raw.replace(/\\/g, '/').replace(/\u0000/g, '');
  const absolute = /^([A-Za-z]:)?\//.test(p) || /^[A-Za-z]:/.test(p);
  p = p.replace(/^[A-Za-z]:/, '');
  let escapes = false;
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      escapes = true;
      continue;
    }
    parts.push(seg);
  }
  let path = parts.join('/');
  if (path.length > MAX_PATH_CHARS) path = `${path.slice(0, MAX_PATH_CHARS)}…`;
  return { path, escapes, absolute };
}

/** Case-insensitive: does the normalised path end with `suffix` at a segment boundary? */
export function hasSuffix(path: string, suffix: string): boolean {
  const p = path.toLowerCase();
  const s = suffix.toLowerCase();
  return p === s || p.endsWith(`/${s}`);
}

export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}
