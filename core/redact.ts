/**
 * Redaction for shareable outputs: proxy credentials, bearer tokens, JWTs, SAS signatures, keys and
 * passwords. Applied by reporters unless --no-redact.
 */

/**
 * The redaction rules as data (pattern, replacement with $n groups), so the PowerShell collector applies the same
 * ones (core/live/collector-spec.ts carries them into the script; the patterns are valid .NET regexes too).
 */
export const REDACTION_PATTERNS: ReadonlyArray<{ pattern: RegExp; replacement: string }> = [
  // scheme://user:pass@host -> scheme://***@host (also user-only)
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:"'<>]+)(?::[^\s/@"'<>]*)?@/gi, replacement: '$1***@' },
  // SAS: sig=... ; also common secret query parameters
  { pattern: /([?&;](?:sig|signature|code|token|access_token|refresh_token|client_secret|password|pwd)=)[^&\s"'<>]+/gi, replacement: '$1***' },
  { pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, replacement: '$1 ***' },
  // JSON Web Tokens
  { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replacement: '***jwt***' },
  { pattern: /\b(AccountKey|SharedAccessKey|SharedAccessSignature|client_secret|ClientSecret|password|passwd|pwd)(\s*[=:]\s*)("?)[^\s;"',]+/gi, replacement: '$1$2$3***' },
  { pattern: /("(?:password|clientSecret|client_secret|accessToken|access_token|refreshToken|token|sig)"\s*:\s*")[^"]*"/gi, replacement: '$1***"' },
  { pattern: /(Proxy-Authorization:\s*)\S.*$/gim, replacement: '$1***' },
];

export function redact(text: string): string {
  let out = text;
  for (const { pattern, replacement } of REDACTION_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Deep-redacts every string in a JSON-like value. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}
