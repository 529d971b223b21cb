/** Dotted versions compared numerically per component: 1.13.21320.014 < 1.37.0 ; 0.24.0.0 > 0.0.0.340. */

export function parseVersion(text: string): number[] | undefined {
  const m = /^\s*v?(\d+(?:\.\d+){0,3})\s*$/.exec(text);
  if (!m) return undefined;
  return m[1]!.split('.').map((p) => Number.parseInt(p, 10));
}

/** Negative when a < b, 0 when equal (missing components count as 0), positive when a > b. */
export function compareVersions(a: string | number[], b: string | number[]): number {
  const pa = typeof a === 'string' ? parseVersion(a) : a;
  const pb = typeof b === 'string' ? parseVersion(b) : b;
  if (!pa || !pb) throw new Error(`not a version: ${String(!pa ? a : b)}`);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `1.36.02345.678` -> `1.36`. */
export function majorMinor(version: string): string | undefined {
  const p = parseVersion(version);
  return p && p.length >= 2 ? `${p[0]}.${p[1]}` : undefined;
}
