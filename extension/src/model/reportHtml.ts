/**
 * The report webview's side of the page core/reporters/html renders: the messages its script may send, checked
 * before the extension acts on one (the page shows untrusted input, so its messages are untrusted too).
 */
/** Messages the report page may send; anything else is ignored. */
export type PageMessage =
  | { type: 'copySummary' | 'rerun' }
  | { type: 'openDocs'; ruleId: string }
  | { type: 'openEvidence' | 'copyFix' | 'runFix'; ruleId: string; index: number }
  | { type: 'cspViolation'; detail: string };

export function parsePageMessage(raw: unknown): PageMessage | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const m = raw as Record<string, unknown>;
  const ruleOk = typeof m.ruleId === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(m.ruleId);
  const indexOk = typeof m.index === 'number' && Number.isInteger(m.index) && m.index >= 0 && m.index < 1000;
  switch (m.type) {
    case 'copySummary': case 'rerun': return { type: m.type };
    case 'openDocs': return ruleOk ? { type: 'openDocs', ruleId: m.ruleId as string } : undefined;
    case 'openEvidence': case 'copyFix': case 'runFix':
      return ruleOk && indexOk ? { type: m.type, ruleId: m.ruleId as string, index: m.index as number } : undefined;
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the untrusted webview message field as String() gives it, clipped
    case 'cspViolation': return { type: 'cspViolation', detail: String(m.detail ?? '').slice(0, 500) };
    default: return undefined;
  }
}
