/**
 * The common body of the endpoint-* rules: evaluate every probe whose key matches one of the patterns
 * and turn the verdicts into pass / fail / skip with host-by-host reasons.
 */
import type { EndpointProbe } from '../../core/facts';
import { fail, pass, skip, type Outcome, type RuleContext } from '../../core/rule';
import type { Fix } from '../../core/types';
import { probeVerdict, type ProbeVerdict } from './probe-verdict';

export interface CheckedProbe {
  host: string;
  probe: EndpointProbe;
  verdict: ProbeVerdict;
}

/** Probes of every key pattern (`wac.azure.com`, `*.wac.azure.com`), de-duplicated, in pattern order. */
export function probesMatching(ctx: RuleContext, patterns: string[]): CheckedProbe[] {
  const out: CheckedProbe[] = [];
  for (const pattern of patterns) {
    for (const { key, value } of ctx.all('probe', pattern)) {
      if (out.some((p) => p.host === key)) continue;
      out.push({ host: key, probe: value, verdict: probeVerdict(value, key) });
    }
  }
  return out;
}

export interface EndpointCheckOptions {
  /** What the endpoints are for, e.g. "the WAC service". */
  purpose: string;
  /** The fix for the failing hosts. */
  fix: (failing: CheckedProbe[]) => Fix;
}

export function endpointOutcome(checked: CheckedProbe[], opts: EndpointCheckOptions): Outcome {
  const failing = checked.filter((c) => c.verdict.state === 'failed');
  const ok = checked.filter((c) => c.verdict.state === 'ok');
  const unknown = checked.filter((c) => c.verdict.state === 'unknown');
  const unknownNote = unknown.length ? ` No result recorded for ${unknown.map((c) => c.host).join(', ')}.` : '';
  if (failing.length > 0) {
    const reasons = failing.map((c) => `${c.host}: ${c.verdict.reason}`).join('; ');
    const okNote = ok.length ? ` Reachable: ${ok.map((c) => c.host).join(', ')}.` : '';
    return fail(`Cannot reach ${opts.purpose}: ${reasons}.${okNote}${unknownNote}`, opts.fix(failing));
  }
  if (ok.length === 0) {
    return skip(`The probes of ${unknown.map((c) => c.host).join(', ')} record no DNS, TCP, TLS, HTTP or reachability result, so ${opts.purpose} could not be judged.`);
  }
  return pass(`Reachable: ${ok.map((c) => `${c.host} (${c.verdict.reason})`).join('; ')}.${unknownNote}`);
}
