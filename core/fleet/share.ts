/**
 * Equal strings of the machine reports a fleet run keeps, shared. A report's messages, titles and docs links are
 * built per report (each a copy), and 10,000 machines repeat a few dozen of them: 10k reports held 66 M characters of
 * messages in 48 distinct texts. The VS Code fleet view keeps every report; sharing makes that memory the findings'
 * objects, not copies of their texts. Evidence excerpts (each machine's own row) are left alone.
 *
 * Findings without evidence or fix (a skip for lack of facts, most of a Resource Graph row's 31) say the same for
 * every machine they are about: 10k reports held 178,750 such findings in 18 forms. Those are one frozen object per
 * form, shared by the reports (no reporter or view changes a finding; frozen, a change would fail loudly).
 */
import type { Finding } from '../model/types';
import type { Report } from '../model/report';

/** Keys whose texts differ per machine: pooling them would only fill the pool. */
const OWN_TEXT = new Set(['excerpt']);

export class StringPool {
  private readonly pool = new Map<string, string>();
  private readonly seen = new WeakSet<object>();
  private readonly findings = new Map<string, Finding>();

  /** A report's strings shared, and its findings that hold nothing of the machine's own replaced by shared ones. */
  shareReport(report: Report): Report {
    const results = report.results;
    for (let i = 0; i < results.length; i++) {
      const f = results[i]!;
      if (f.evidence.length > 0 || f.fix !== undefined) continue;
      const key = JSON.stringify(f);
      const had = this.findings.get(key);
      if (had) {
        results[i] = had;
        continue;
      }
      this.share(f);
      this.findings.set(key, deepFreeze(f));
    }
    return this.share(report);
  }

  /** Replaces, in place, every string in `value` (objects and arrays, walked) by the pool's equal one; returns value. */
  share<T>(value: T): T {
    this.walk(value);
    return value;
  }

  private text(s: string): string {
    const had = this.pool.get(s);
    if (had !== undefined) return had;
    this.pool.set(s, s);
    return s;
  }

  private walk(value: unknown): void {
    if (typeof value !== 'object' || value === null || this.seen.has(value)) return;
    this.seen.add(value);
    // Frozen objects are shared constants (rule metadata): nothing to copy there.
    if (Object.isFrozen(value)) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v === 'string') value[i] = this.text(v);
        else this.walk(v);
      }
      return;
    }
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      if (typeof v === 'string') {
        if (!OWN_TEXT.has(key)) obj[key] = this.text(v);
      } else this.walk(v);
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
