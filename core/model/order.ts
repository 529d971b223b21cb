/**
 * The one order every reporter shows findings in: problems first (fail, then warn, then error), then passes, then
 * skips; inside each status, catalog order. The catalog (rules/index.ts) is grouped by category in CATEGORY_ORDER
 * (a test holds it so), so catalog order is also category order and text, JSON, SARIF, JUnit and markdown agree.
 */
import { CATEGORY_ORDER, type Finding, type Status } from './types';

export const STATUS_ORDER: Readonly<Record<Status, number>> = { fail: 0, warn: 1, error: 2, pass: 3, skip: 4 };

export const isProblem = (f: Pick<Finding, 'status'>): boolean => f.status === 'fail' || f.status === 'warn' || f.status === 'error';

const categoryRank = (f: Finding): number => {
  const i = CATEGORY_ORDER.indexOf(f.category);
  return i < 0 ? CATEGORY_ORDER.length : i;
};

/**
 * Stable: by status, then category (for reports whose results are not in catalog order, e.g. hand-built or
 * from an older catalog), then the order given (runRules keeps catalog order).
 */
export function orderFindings<F extends Finding>(list: readonly F[]): F[] {
  return list.map((f, i) => ({ f, i }))
    .sort((a, b) => STATUS_ORDER[a.f.status] - STATUS_ORDER[b.f.status] || categoryRank(a.f) - categoryRank(b.f) || a.i - b.i)
    .map((x) => x.f);
}
