/**
 * Catalog of known texts in agent logs, CLI output and support tickets: one entry per signature.
 * Log parsers and the free-text scan test lines against it; a hit becomes a `log.signatures` entry (and, for some,
 * other facts: AZCM codes, endpoint probes, the agent version). Ids are stable: rules select hits by id
 * (`missing-registration`, `no-registered-provider`, `authorization-failed`, `proxy-auth-required`).
 *
 * Patterns match what the text says and no more: `403` alone is not a signature (it is everywhere in GUIDs
 * and durations); it needs `Forbidden` or an HTTP context.
 */

export type SignatureKind =
  | 'azcm' | 'hcrp' | 'network' | 'tls' | 'proxy' | 'http' | 'registration' | 'authorization' | 'status' | 'service' | 'version';

export interface Signature {
  id: string;
  kind: SignatureKind;
  /** Tested against one line (or one log record); capture groups feed `subject`. */
  re: RegExp;
  /** What the text means, for explanations and tests. */
  meaning: string;
  /** How bad a hit is on its own: `fail` texts are failures, `info` texts state facts (versions, states). */
  severity: 'fail' | 'warn' | 'info';
  /** The thing the text is about: an AZCM code, a namespace, an action, a host, a version. */
  subject?: (m: RegExpExecArray) => string | undefined;
}

const group = (n: number) => (m: RegExpExecArray): string | undefined => m[n]?.trim() || undefined;

/** Agent versions are four-part with a 3-5 digit build (1.45.02669.1635); 1.13.21320.014 is the oldest shape. */
export const AGENT_VERSION_TEXT = String.raw`1\.\d{1,3}\.\d{3,5}\.\d{1,5}`;

export const SIGNATURES: readonly Signature[] = [
  {
    id: 'azcm-code', kind: 'azcm', severity: 'fail',
    re: /\b(AZCM\d{4})\b/,
    meaning: 'a Connected Machine agent error code (AZCM0000 is success)',
    subject: group(1),
  },
  {
    id: 'hcrp-code', kind: 'hcrp', severity: 'fail',
    re: /\b(HCRP\d{3,4})\b/,
    meaning: 'an error code of the Azure Arc (HybridCompute) resource provider',
    subject: group(1),
  },
  {
    id: 'missing-registration', kind: 'registration', severity: 'fail',
    re: /MissingSubscriptionRegistration|(?:isn't|is not|not) registered to use (?:the )?namespace\s*'?([A-Za-z0-9.]+)/i,
    meaning: 'the subscription is not registered for a resource provider namespace',
    subject: (m) => m[1] ?? /namespace\s*'?\\?"?([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+)/i.exec(m.input)?.[1],
  },
  {
    id: 'no-registered-provider', kind: 'registration', severity: 'fail',
    re: /NoRegisteredProviderFound/,
    meaning: 'no registered resource provider was found for the resource type (the provider is not registered)',
    subject: (m) => /\b(Microsoft\.[A-Za-z]+)\b/.exec(m.input.slice(m.index))?.[1],
  },
  {
    id: 'authorization-failed', kind: 'authorization', severity: 'fail',
    re: /\b(?:Linked)?AuthorizationFailed\b|does not have (?:the )?authori[sz]ation to perform action\s*'([^']+)'/i,
    meaning: 'the caller lacks an Azure role permission for an action',
    // The action's class is bounded: holding `/`, an unbounded run went to the end of the text from every `Microsoft.`.
    subject: (m) => m[1] ?? /perform action\s*'([^']+)'/i.exec(m.input)?.[1] ?? /\b(Microsoft\.[A-Za-z]+\/[A-Za-z0-9/*._-]{1,256}\/action)\b/.exec(m.input)?.[1],
  },
  {
    id: 'proxy-auth-required', kind: 'proxy', severity: 'fail',
    re: /\b407\b[^\n]{0,40}Proxy Authentication Required|Proxy Authentication Required|\(407\)|status(?: code)?[ =:"]*407\b/i,
    meaning: 'the proxy answered 407 Proxy Authentication Required',
  },
  {
    id: 'proxyconnect', kind: 'proxy', severity: 'fail',
    re: /proxyconnect tcp/i,
    meaning: 'the connection to the proxy failed (the error after it says how)',
  },
  {
    id: 'x509-unknown-authority', kind: 'tls', severity: 'fail',
    re: /x509: certificate signed by unknown authority/i,
    meaning: 'the certificate chain ends at an untrusted root: typically TLS inspection by a proxy or firewall',
    subject: (m) => /candidate authority certificate "([^"]+)"/.exec(m.input)?.[1],
  },
  {
    id: 'x509-certificate', kind: 'tls', severity: 'fail',
    re: /x509: (?!certificate signed by unknown authority)(certificate (?:has expired|is valid for|is not valid)[^"\n]{0,80}|[^"\n]{0,80})/i,
    meaning: 'the certificate was refused (expired, wrong name, or otherwise invalid)',
    subject: group(1),
  },
  {
    id: 'tls-handshake-failure', kind: 'tls', severity: 'fail',
    re: /tls: handshake failure|remote error: tls: [a-z ]+|TLS handshake timeout/i,
    meaning: 'the TLS handshake failed (cipher suites, protocol version, or a device in the path)',
  },
  {
    id: 'no-such-host', kind: 'network', severity: 'fail',
    re: /no such host|No such host is known|Name or service not known|Temporary failure in name resolution|remote name could not be resolved|Could not resolve host/i,
    meaning: 'the name did not resolve (DNS)',
  },
  {
    id: 'io-timeout', kind: 'network', severity: 'fail',
    re: /i\/o timeout|connected party did not properly respond after a period of time/i,
    meaning: 'the TCP connection or read timed out (firewall dropping packets, or no route)',
  },
  {
    id: 'connection-refused', kind: 'network', severity: 'fail',
    re: /connection refused|actively refused/i,
    meaning: 'the connection was refused (nothing listening, or a firewall rejecting)',
  },
  {
    id: 'network-unreachable', kind: 'network', severity: 'fail',
    re: /network is unreachable|no route to host/i,
    meaning: 'no network route to the address',
  },
  {
    id: 'context-deadline-exceeded', kind: 'network', severity: 'fail',
    re: /context deadline exceeded|Client\.Timeout exceeded/i,
    meaning: 'the request did not finish in time',
  },
  {
    id: 'http-forbidden', kind: 'http', severity: 'warn',
    re: /\b403 Forbidden\b|status(?: code)?[ =:"]*403\b|\(403\) Forbidden|Error = '[^']*Forbidden'/i,
    meaning: 'the server (or a proxy) answered HTTP 403 Forbidden',
  },
  {
    id: 'agent-status', kind: 'status', severity: 'info',
    re: /\bAgent Status\s*[:=]\s*"?(Connected|Disconnected|Expired)\b/i,
    meaning: 'the agent status as azcmagent show reports it',
    subject: group(1),
  },
  {
    id: 'service-state', kind: 'service', severity: 'info',
    re: /\((himds|extensionservice|gcarcservice|arcproxy|himdsd|extd|gcad|arcproxyd)\)\s*:\s*(running|stopped|unknown)\b|^\s*(Running|Stopped)\s+(himds|ExtensionService|GCArcService|arcproxy|ServerManagementGateway|WindowsAdminCenter|WindowsAdminCenterAccountManagement)\s/i,
    meaning: 'an agent or gateway service state (azcmagent show or Get-Service)',
    subject: (m) => (m[1] ? `${m[1]}=${m[2]}` : `${m[4]}=${m[3]}`),
  },
  {
    id: 'agent-version', kind: 'version', severity: 'info',
    re: new RegExp(String.raw`\b(?:Agent Version|AgentVersion|azcmagent version|(?:Connected Machine|HIMDS|himds) agent,? version|Connected Machine Agent version)\s*(?:[:=]\s*)?"?v?(${AGENT_VERSION_TEXT})\b`, 'i'),
    meaning: 'the Connected Machine agent version',
    subject: group(1),
  },
];

export function signatureById(id: string): Signature | undefined {
  return SIGNATURES.find((s) => s.id === id);
}

export interface SignatureMatch {
  signature: Signature;
  subject?: string;
  /** Offset of the match in the tested text. */
  index: number;
}

/** Every signature that matches `text` (one match per signature). */
export function matchSignatures(text: string, kinds?: ReadonlySet<SignatureKind>): SignatureMatch[] {
  const out: SignatureMatch[] = [];
  for (const signature of SIGNATURES) {
    if (kinds && !kinds.has(signature.kind)) continue;
    const m = signature.re.exec(text);
    if (!m) continue;
    const subject = signature.subject?.(m);
    out.push(subject ? { signature, subject, index: m.index } : { signature, index: m.index });
  }
  return out;
}

/**
 * Cheap prefilter for free text: a line that fails this cannot match any signature. A union of short
 * literals keeps V8's regex scan fast on large inputs (a union of the full patterns is ten times slower).
 */
export const SIGNATURE_HINT = /AZCM|HCRP|egistration|egisteredProvider|registered to use|uthori[sz]ation|407|Proxy Auth|proxyconnect|x509|tls:|TLS handshake|no such host|o such host is known|could not be resolved|ould not resolve host|ame or service not known|ailure in name resolution|i\/o timeout|did not properly respond|refused|unreachable|no route to host|deadline exceeded|Timeout exceeded|403|Forbidden|Agent Status|\(himds|\(extensionservice|\(gcarcservice|\(arcproxy|\(extd|\(gcad|Running|Stopped|ersion/i;
