/**
 * The one redactor of shareable output (every reporter, `collect` snapshots, `check`, the extension's views and
 * copies): URL credentials, scheme-less user:pass@host, secret-named keys and flags, bearer/basic tokens, JWTs.
 *
 * Secrets are looked for in a decoded view of the text (\uXXXX, %XX of ASCII, \" \/ \\ and the like, up to three
 * layers deep), so `\u0026sig=`, `%26sig%3D`, `{\"clientSecret\":\"...\"}` and `http:\/\/user:pw@host` are seen for
 * what they are; each secret found there is then replaced by `***` in the original text, which is otherwise kept
 * as it was. Every scan is linear: plain loops, or regexes that start at a literal or a word boundary and whose
 * quantifiers are single and bounded (no nested or overlapping repetition).
 */

type Span = [start: number, end: number];

interface Decoded {
  text: string;
  /** map[i]: where decoded character i starts in the source; map[text.length]: the source length. None: nothing was decoded. */
  map?: Int32Array;
}

const HEX = /^[0-9a-fA-F]{4}$/;
const JSON_ESCAPES: Record<string, string> = { '"': '"', '/': '/', '\\': '\\', '\'': '\'', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/** One layer of \uXXXX, JSON backslash escapes and ASCII %XX, with the position map back to the source. */
function decodeOnce(src: string): (Decoded & { map: Int32Array }) | undefined {
  if (!src.includes('\\') && !src.includes('%')) return undefined;
  const parts: string[] = [];
  const map = new Int32Array(src.length + 1);
  let n = 0;
  let copied = 0;
  const emit = (ch: string, from: number, to: number): void => {
    if (copied < from) parts.push(src.slice(copied, from));
    for (let k = copied; k < from; k++) map[n++] = k;
    parts.push(ch);
    map[n++] = from;
    copied = to;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 92 /* \ */ && i + 1 < src.length) {
      const e = src[i + 1]!;
      if (e === 'u' && HEX.test(src.slice(i + 2, i + 6))) {
        emit(String.fromCharCode(Number.parseInt(src.slice(i + 2, i + 6), 16)), i, i + 6);
        i += 5;
      } else if (e in JSON_ESCAPES) {
        emit(JSON_ESCAPES[e]!, i, i + 2);
        i += 1;
      }
    } else if (c === 37 /* % */ && i + 2 < src.length && /^[0-7][0-9a-fA-F]$/.test(src.slice(i + 1, i + 3))) {
      emit(String.fromCharCode(Number.parseInt(src.slice(i + 1, i + 3), 16)), i, i + 3);
      i += 2;
    }
  }
  if (copied === 0 && parts.length === 0) return undefined;
  parts.push(src.slice(copied));
  for (let k = copied; k <= src.length; k++) map[n++] = k;
  return { text: parts.join(''), map: map.subarray(0, n) };
}

/** Decoded view of up to three layers (`%253D`, `\\u0026`), maps composed back to the original. */
export function decode(src: string): Decoded {
  let cur: Decoded = { text: src };
  for (let layer = 0; layer < 3; layer++) {
    const next = decodeOnce(cur.text);
    if (!next) break;
    const prev = cur.map;
    if (prev) for (let i = 0; i < next.map.length; i++) next.map[i] = prev[next.map[i]!]!;
    cur = next;
  }
  return cur;
}

// ---------------------------------------------------------------------------------------------------------------
// Finders: each returns the spans (in the decoded text) to replace by ***.

const isSpace = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
/** Ends a URL or a user:pass@host token: space, quotes, angle brackets. */
const endsToken = (c: string | undefined): boolean => isSpace(c) || c === '"' || c === '\'' || c === '<' || c === '>' || c === '`';
const LABEL = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
/** After the host: a port, then a path, the token's end, or prose punctuation (`proxy http://u:p@h:3128: refused`). */
const PORT_THEN_END = /^(?::\d{1,5})?(?:[/?#\\:,;.)\]}]|$)/;

/** After the @: a host name, an IPv4 address or [IPv6], then a port, a path or the token's end. */
function hostFollows(text: string, at: number, tokenEnd: number): boolean {
  // An excerpt clipped with … after the @ still shows where the host starts.
  const rest = text.slice(at + 1, Math.min(tokenEnd, at + 300)).replace(/\u2026$/, '');
  let hostEnd: number;
  if (rest.startsWith('[')) {
    hostEnd = rest.indexOf(']') + 1;
    if (hostEnd <= 2 || !/^\[[0-9A-Fa-f:.]+\]$/.test(rest.slice(0, hostEnd))) return false;
  } else {
    hostEnd = 0;
    while (hostEnd < rest.length && !':/?#\\'.includes(rest[hostEnd]!)) hostEnd++;
    if (!rest.slice(0, hostEnd).split('.').every((l) => LABEL.test(l))) return false;
  }
  return PORT_THEN_END.test(rest.slice(hostEnd));
}

/** The last @ in [from, to), or -1 (a bounded scan: never past `from`). */
function lastAt(text: string, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (text[i] === '@') return i;
  return -1;
}

/**
 * scheme://userinfo@host: the userinfo runs to the LAST @ of the authority, so @ : \ / % and unicode in a password
 * stay inside it. The authority ends at ?, # or the token's end; a / ends it only if what precedes is not user:pass
 * (so https://registry.npmjs.org/@types/node keeps its host).
 */
function urlUserinfo(text: string): Span[] {
  const spans: Span[] = [];
  let next = 0;
  for (let p = text.indexOf('://'); p >= 0; p = text.indexOf('://', next)) {
    next = p + 3;
    let s = p;
    while (s > 0 && p - s < 32 && /[A-Za-z0-9+.-]/.test(text[s - 1]!)) s--;
    if (s === p || !/[A-Za-z]/.test(text[s]!)) continue;
    const start = p + 3;
    let end = start;
    while (end < text.length && !endsToken(text[end]) && text[end] !== '?' && text[end] !== '#') end++;
    // The authority is scanned once: a later :// inside it is not a URL of its own.
    next = Math.max(next, end);
    const at = lastAt(text, start, end);
    if (at < 0) {
      // Clipped before the @ (`http://svc:Pa/s…`): a user:pass run cut short is still a password.
      const cut = text[end - 1] === '\u2026' ? text.slice(start, end - 1) : '';
      const colon = cut.indexOf(':');
      const slash = cut.indexOf('/');
      if (colon > 0 && (slash < 0 || colon < slash) && !/^\d*$/.test(cut.slice(colon + 1, slash < 0 ? undefined : slash))) spans.push([start, end - 1]);
      continue;
    }
    const info = text.slice(start, at);
    const slash = info.indexOf('/');
    if (slash >= 0) {
      const colon = info.indexOf(':');
      if (colon < 0 || colon > slash || /^\d*$/.test(info.slice(colon + 1, slash))) continue;
    }
    if (!hostFollows(text, at, end)) continue;
    if (at > start) spans.push([start, at]);
  }
  return spans;
}

/** user:pass@host without a scheme (HTTPS_PROXY=svc:pw@proxy:3128, netsh and config listings). */
function bareUserinfo(text: string): Span[] {
  const spans: Span[] = [];
  const stop = (c: string | undefined): boolean => endsToken(c) || c === '=' || c === ',' || c === ';' || c === '(' || c === ')' || c === '[' || c === ']' || c === '{' || c === '}';
  // From each @, out to the token's ends; the next search starts after this token, so each character is seen twice at most.
  let done = 0;
  for (let k = text.indexOf('@'); k >= 0; k = text.indexOf('@', done)) {
    let i = k;
    while (i > done && !stop(text[i - 1])) i--;
    let end = k + 1;
    while (end < text.length && !stop(text[end])) end++;
    done = end;
    const at = lastAt(text, i, end);
    if (at > i && text.slice(i, at).indexOf(':') > 0 && !text.slice(i, end).includes('://') && hostFollows(text, at, end)) spans.push([i, at]);
  }
  return spans;
}

/** Long words that make a key or flag secret wherever they appear in its name. */
const SECRET_WORDS = ['secret', 'password', 'passwd', 'passphrase', 'token', 'credential', 'apikey', 'accesskey', 'privatekey', 'connectionstring'];
/**
 * Short words that count only as the name's last part: AccountKey, api-key, x_sig, SharedAccessSignature; not keyvault,
 * keyName, assignment. `sig` and `pwd` also alone; `key`, `pass` and `signature` alone are too common as plain names
 * ({"key": "proxy.url"}, "header signature: 0x2015858").
 */
const SECRET_TAILS = ['key', 'sig', 'signature', 'pwd', 'pass'];
const SECRET_ALONE = ['sig', 'pwd'];

/** Does a key or flag name (clientSecret, proxy_password, --service-principal-secret, AccountKey) name a secret? */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  if (SECRET_WORDS.some((w) => lower.includes(w))) return true;
  const parts = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s_.-]+/).filter(Boolean);
  const last = parts[parts.length - 1];
  return last !== undefined && (parts.length > 1 ? SECRET_TAILS.includes(last) : SECRET_ALONE.includes(last));
}

/** Where a value after a separator ends: its closing quote, or the first space or delimiter. */
function valueSpan(text: string, from: number, allowSpaces: boolean): Span | undefined {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  const q = text[i];
  if (q === '"' || q === '\'') {
    let end = i + 1;
    while (end < text.length && end - i <= 4096 && text[end] !== q && text[end] !== '\n') end++;
    return end > i + 1 ? [i + 1, end] : undefined;
  }
  let end = i;
  while (end < text.length && end - i < 4096) {
    const c = text[end]!;
    if (c === '\n' || c === '\r' || c === '&' || c === ';' || c === ',' || c === '"' || c === '\'' || c === '<' || c === '>' || c === '}' || c === ')' || c === ']') break;
    if ((c === ' ' || c === '\t') && !allowSpaces) break;
    end++;
  }
  while (end > i && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end > i ? [i, end] : undefined;
}

const isIdent = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_.-]/.test(c);

/**
 * key=value, "key": "value", key: value and `Label Key : value` where the key names a secret. A bare `:` needs a
 * space after it (so keyvault.vault.azure.net:443 is a host and port, not a key and a value). From each = or :, the
 * key is read leftwards (at most 64 characters, plus spaces and a quote), the value rightwards; a value is read once.
 */
function keyValues(text: string): Span[] {
  const spans: Span[] = [];
  for (let k = 0; k < text.length; k++) {
    const sep = text[k];
    if (sep !== '=' && sep !== ':') continue;
    let j = k;
    while (j > 0 && k - j < 8 && (text[j - 1] === ' ' || text[j - 1] === '\t')) j--;
    const spaced = j < k;
    const quote = text[j - 1] === '"' || text[j - 1] === '\'' ? text[j - 1]! : '';
    if (quote) j--;
    let ks = j;
    while (ks > 0 && j - ks < 64 && isIdent(text[ks - 1])) ks--;
    if (ks === j || isIdent(text[ks - 1]) || !/[A-Za-z_]/.test(text[ks]!)) continue;
    if (quote && text[ks - 1] !== quote) continue;
    const key = text.slice(ks, j);
    const after = k + 1;
    if (sep === ':' && !quote && !(text[after] === ' ' || text[after] === '\t')) continue;
    if (sep === '=' && text[after] === '=') continue;
    // In a query string ?code= (OAuth) and ?key= (API keys) are secrets; an `Exit Code=0` or {"key": ...} is not.
    const inQuery = sep === '=' && (text[ks - 1] === '?' || text[ks - 1] === '&') && ['code', 'key'].includes(key.toLowerCase());
    if (!inQuery && !isSecretName(key)) continue;
    // A `Label : value` line may hold spaces in its value; key=value pairs end at the first space.
    const span = valueSpan(text, after, sep === ':' && !quote && spaced);
    if (!span) continue;
    if (text.slice(span[0], span[1]) !== '***') spans.push(span);
    k = span[1] - 1;
  }
  return spans;
}

/** --client-secret X, --sas-token=X, -Password X: a flag naming a secret, then its value. */
const FLAG = /(?<![A-Za-z0-9_-])--?([A-Za-z][A-Za-z0-9-]{0,63})(?:[ \t]{1,8}|=)/g;
function flags(text: string): Span[] {
  const spans: Span[] = [];
  FLAG.lastIndex = 0;
  for (let m = FLAG.exec(text); m; m = FLAG.exec(text)) {
    if (!isSecretName(m[1]!)) continue;
    const from = m.index + m[0].length;
    if (text[from] === '-') continue;
    const span = valueSpan(text, from, false);
    if (span) {
      // A bare value ends at the first space (valueSpan stops there too).
      spans.push(span);
      FLAG.lastIndex = span[1];
    }
  }
  return spans;
}

const AUTH_SCHEME = /\b(?:bearer|basic)[ \t]{1,8}(?=[A-Za-z0-9._~+/=-]{8})/gi;
const AUTH_HEADER = /\b(?:proxy-)?authorization[ \t]{0,8}:[ \t]{0,8}/gi;
const AUTH_WORD = /^(?:bearer|basic|negotiate|ntlm|digest)[ \t]{1,8}/i;

function tokens(text: string): Span[] {
  const spans: Span[] = [];
  const run = (from: number, ok: (c: string) => boolean): number => {
    let e = from;
    while (e < text.length && ok(text[e]!)) e++;
    return e;
  };
  const b64 = (c: string): boolean => /[A-Za-z0-9._~+/=-]/.test(c);
  const seg = (c: string): boolean => /[A-Za-z0-9_-]/.test(c);
  for (const re of [AUTH_SCHEME, AUTH_HEADER]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const from = m.index + m[0].length;
      if (re === AUTH_HEADER) {
        // The credentials up to the line's end; the scheme word stays.
        let e = text.indexOf('\n', from);
        if (e < 0) e = text.length;
        const word = AUTH_WORD.exec(text.slice(from, Math.min(e, from + 32)));
        const s = from + (word ? word[0].length : 0);
        if (e > s) spans.push([s, e]);
        re.lastIndex = Math.max(re.lastIndex, e);
      } else {
        spans.push([from, run(from, b64)]);
      }
    }
  }
  // JWTs: eyJ<segment>.<segment>[.<segment>], each segment base64url. Scanned by hand, each character once.
  for (let p = text.indexOf('eyJ'); p >= 0; p = text.indexOf('eyJ', p + 1)) {
    if (p > 0 && /[A-Za-z0-9_]/.test(text[p - 1]!)) continue;
    const a = run(p, seg);
    let e = a;
    if (a - p >= 8 && text[a] === '.') {
      const b = run(a + 1, seg);
      if (b - a - 1 >= 5) {
        e = text[b] === '.' ? run(b + 1, seg) : b;
        spans.push([p, e]);
      }
    }
    p = Math.max(p, e - 1, a - 1);
  }
  return spans;
}

export const FINDERS = [urlUserinfo, bareUserinfo, keyValues, flags, tokens];

/** Quick test: text without any of these cannot hold a secret the finders know. */
const MAYBE_SECRET = /[@=:%\\]|bearer|basic|eyJ|-[A-Za-z]/i;

export function redact(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  const d = decode(text);
  const found = FINDERS.flatMap((f) => f(d.text));
  if (found.length === 0) return text;
  // Back to the source, merged, replaced from the end.
  const at = (i: number): number => (d.map ? d.map[i]! : i);
  const spans = found.map(([s, e]): Span => [at(s), at(e)]).filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  let out = '';
  let pos = 0;
  for (const [s, e] of merged) {
    out += `${text.slice(pos, s)}***`;
    pos = e;
  }
  return out + text.slice(pos);
}

/** Deep-redacts every string in a JSON-like value. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}

/**
 * The redaction the PowerShell collector applies while it writes a snapshot, as .NET-compatible regex data
 * (core/sources/live/collector-spec.ts carries it into the script). A simpler net than `redact` above: the analyzer redacts
 * every output again with `redact` when it reports. Userinfo runs to the last `@` that a host follows, so passwords
 * holding `@`, `:`, `/` or `\` go whole; each pattern is linear (one starting anchor, bounded backtracking).
 */
export const REDACTION_PATTERNS: ReadonlyArray<{ pattern: RegExp; replacement: string }> = [
  // scheme://user:pass@host -> scheme://***@host (also user-only), up to the last @ before a host name
  { pattern: /\b([a-z][a-z0-9+.-]{0,20}:\/\/)[^\s"'<>]{0,512}@(?=[A-Za-z0-9.-]{1,253}(?::\d{1,5})?(?:[/\s"'<>,;)]|$))/gi, replacement: '$1***@' },
  // SAS: sig=... ; also common secret query parameters
  { pattern: /([?&;](?:sig|signature|code|token|access_token|refresh_token|client_secret|password|pwd)=)[^&\s"'<>]+/gi, replacement: '$1***' },
  { pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, replacement: '$1 ***' },
  // JSON Web Tokens
  { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replacement: '***jwt***' },
  { pattern: /\b(AccountKey|SharedAccessKey|SharedAccessSignature|client_secret|ClientSecret|proxyPassword|password|passwd|pwd)(\s*[=:]\s*)("?)[^\s;"',]+/gi, replacement: '$1$2$3***' },
  { pattern: /("(?:password|proxyPassword|clientSecret|client_secret|accessToken|access_token|refreshToken|token|sig)"\s*:\s*")[^"]*"/gi, replacement: '$1***"' },
  { pattern: /(Proxy-Authorization:\s*)\S.*$/gim, replacement: '$1***' },
];
