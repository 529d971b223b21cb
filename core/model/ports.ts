/** Port values from untrusted text: an integer 1-65535 or nothing. */
export function parsePort(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= 65535 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  const n = /^0x[0-9a-f]+$/i.test(t) ? Number.parseInt(t, 16) : /^\d{1,5}$/.test(t) ? Number.parseInt(t, 10) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

/** `[]`, `443`, `[22 6516]`, `[22,6516]`, `22,6516`, `["22","6516"]` -> numbers; invalid members dropped. */
export function parsePortList(value: unknown): number[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.replace(/[[\]"']/g, ' ').split(/[\s,;]+/) : [];
  const out: number[] = [];
  for (const item of items) {
    const p = parsePort(typeof item === 'number' ? item : String(item));
    if (p !== undefined && !out.includes(p)) out.push(p);
  }
  return out;
}
