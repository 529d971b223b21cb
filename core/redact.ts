/**
 * Redaction for shareable outputs: proxy credentials, bearer tokens, JWTs, SAS signatures, keys and
 * passwords. Applied by reporters unless --no-redact.
 */
const RULES: Array<[RegExp, string | ((...m: string[]) => string)]> = [
  // scheme://user:pass@host -> scheme://***:***@host (also user-only)
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:"'<>]+)(?::[^\s/@"'<>]*)?@/gi, (_m, scheme) => `${scheme}***@`],
  // SAS: sig=... ; also common secret query parameters
  [/([?&;](?:sig|signature|code|token|access_token|refresh_token|client_secret|password|pwd)=)[^&\s"'<>]+/gi, '$1***'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 ***'],
  // JSON Web Tokens
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '***jwt***'],
  [/\b(AccountKey|SharedAccessKey|SharedAccessSignature|client_secret|ClientSecret|password|passwd|pwd)(\s*[=:]\s*)("?)[^\s;"',]+/gi, '$1$2$3***'],
  [/("(?:password|clientSecret|client_secret|accessToken|access_token|refreshToken|token|sig)"\s*:\s*")[^"]*"/gi, '$1***"'],
  [/(Proxy-Authorization:\s*)\S.*$/gim, '$1***'],
];

export function redact(text: string): string {
  let out = text;
  for (const [re, rep] of RULES) out = out.replace(re, rep as string);
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
