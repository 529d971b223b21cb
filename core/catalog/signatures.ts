/**
 * Catalog of known texts in agent logs, CLI output and support tickets: one entry per signature.
 * Log parsers and the free-text scan test lines against it; a hit becomes a `log.signatures` entry (and, for some,
 * other facts: AZCM codes, endpoint probes, the agent version). Ids are stable: rules select hits by id
 * (`missing-registration`, `no-registered-provider`, `authorization-failed`, `proxy-auth`; network failures by their error-taxonomy layer: `dns`, `tcp-timeout`, `proxy-connect`, ...).
 *
 * Patterns match what the text says and no more: `403` alone is not a signature (it is everywhere in GUIDs
 * and durations); it needs `Forbidden` or an HTTP context.
 */
import { ERROR_CLASSES, ERROR_HINT, LAYER_ORDER, LAYER_TITLES, type ErrorLayer } from './error-taxonomy';

export type SignatureKind =
  | 'azcm' | 'hcrp' | 'network' | 'tls' | 'proxy' | 'http' | 'registration' | 'authorization' | 'status' | 'service' | 'version'
  | 'gateway' | 'environment';

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
  /**
   * Literals every match of `re` contains (a superset of `re`, tested on every example): `re` runs only on text this
   * admits. Short literal unions scan fast in V8; most warning and error lines of a noisy log admit none.
   */
  hint: RegExp;
}

const group = (n: number) => (m: RegExpExecArray): string | undefined => m[n]?.trim() || undefined;

/** Agent versions are four-part with a 3-5 digit build (1.45.02669.1635); 1.13.21320.014 is the oldest shape. */
export const AGENT_VERSION_TEXT = String.raw`1\.\d{1,3}\.\d{3,5}\.\d{1,5}`;

/**
 * Network, TLS and proxy failures come from the one error taxonomy (core/catalog/error-taxonomy.ts): one signature
 * per failing layer, its id the layer's name (`dns`, `tcp-timeout`, `tls-untrusted-root`, `proxy-connect`, ...).
 * HTTP statuses are not failures by themselves (a 4xx proves the endpoint was reached): the interpreter reads them.
 */
const LAYER_KINDS: Partial<Record<ErrorLayer, SignatureKind>> = {
  'proxy-auth': 'proxy', 'proxy-connect': 'proxy',
  'tls-untrusted-root': 'tls', 'tls-expired': 'tls', 'tls-name': 'tls', 'tls-revocation': 'tls', 'tls-handshake': 'tls',
  'dns': 'network', 'tcp-timeout': 'network', 'tcp-refused': 'network', 'reset': 'network',
};

/**
 * The taxonomy's prefilter without the literals only its `http-status` row needs (`status`, `(5xx)`, `5xx X`):
 * HTTP statuses are no signature, and `Status=503` is on most lines of a retrying agent's log.
 */
const HTTP_STATUS_ONLY = new Set([String.raw`\([45]\d\d\)`, String.raw`[45]\d\d [A-Z]`, 'does not indicate success', 'status']);
export const NETWORK_HINT = new RegExp(ERROR_HINT.source.split('|').filter((alt) => !HTTP_STATUS_ONLY.has(alt)).join('|'), 'i');

const NETWORK_SIGNATURES: Signature[] = LAYER_ORDER.filter((l) => LAYER_KINDS[l]).map((layer) => {
  // Built from the table's own (static) sources, never from input.
  const re = new RegExp(ERROR_CLASSES.filter((c) => c.layer === layer).map((c) => `(?:${c.re.source})`).join('|'), 'i');
  const sig: Signature = { id: layer, kind: LAYER_KINDS[layer]!, severity: 'fail', re, meaning: LAYER_TITLES[layer], hint: NETWORK_HINT };
  if (layer === 'tls-untrusted-root') sig.subject = (m) => /candidate authority certificate "([^"\n]{1,200})"/.exec(m.input)?.[1];
  return sig;
});

/** Literals of the gateway signatures (for free-text candidate filters). */
export const EVENT_HINT = /revoked|bind to address|Failed to reserve|service terminated|failed to start|hung on starting|service to connect|did not respond/;

export const SIGNATURES: readonly Signature[] = [
  {
    id: 'azcm-code', kind: 'azcm', severity: 'fail',
    re: /\b(AZCM\d{4})\b/,
    hint: /AZCM/,
    meaning: 'a Connected Machine agent error code (AZCM0000 is success)',
    subject: group(1),
  },
  {
    id: 'hcrp-code', kind: 'hcrp', severity: 'fail',
    re: /\b(HCRP\d{3,4})\b/,
    hint: /HCRP/,
    meaning: 'an error code of the Azure Arc (HybridCompute) resource provider',
    subject: group(1),
  },
  {
    id: 'missing-registration', kind: 'registration', severity: 'fail',
    // ARM's message, and the portal's and PowerShell's wording of the same state ("The resource provider
    // 'Microsoft.HybridConnectivity' is not registered in subscription ...").
    re: /MissingSubscriptionRegistration|(?:isn't|is not|not) registered to use (?:the )?namespace\s*'?([A-Za-z0-9.]+)|resource provider\s{1,3}'?(Microsoft\.[A-Za-z0-9]{2,60})'?\s{1,3}(?:is not|isn't|was not|wasn't|not) registered/i,
    hint: /egistration|registered to use|not registered|n't registered/i,
    meaning: 'the subscription is not registered for a resource provider namespace',
    subject: (m) => m[1] ?? m[2] ?? /namespace\s*'?\\?"?([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+)/i.exec(m.input)?.[1],
  },
  {
    id: 'no-registered-provider', kind: 'registration', severity: 'fail',
    re: /NoRegisteredProviderFound/,
    hint: /egisteredProvider/,
    meaning: 'no registered resource provider was found for the resource type (the provider is not registered)',
    subject: (m) => /\b(Microsoft\.[A-Za-z]+)\b/.exec(m.input.slice(m.index))?.[1],
  },
  {
    id: 'authorization-failed', kind: 'authorization', severity: 'fail',
    re: /\b(?:Linked)?AuthorizationFailed\b|does not have (?:the )?authori[sz]ation to perform action\s*'([^']+)'/i,
    hint: /uthori[sz]ation/i,
    meaning: 'the caller lacks an Azure role permission for an action',
    // The action's class is bounded: holding `/`, an unbounded run went to the end of the text from every `Microsoft.`.
    subject: (m) => m[1] ?? /perform action\s*'([^']+)'/i.exec(m.input)?.[1] ?? /\b(Microsoft\.[A-Za-z]+\/[A-Za-z0-9/*._-]{1,256}\/action)\b/.exec(m.input)?.[1],
  },
  ...NETWORK_SIGNATURES,
  {
    id: 'http-forbidden', kind: 'http', severity: 'warn',
    re: /\b403 Forbidden\b|status(?: code)?[ =:"]*403\b|\(403\) Forbidden|Error = '[^']*Forbidden'/i,
    hint: /403|Forbidden/i,
    meaning: 'the server (or a proxy) answered HTTP 403 Forbidden',
  },
  {
    // The gateway cannot start or serve: Event Log texts of SMEGateway / WindowsAdminCenter and the Service Control
    // Manager (7000, 7009, 7022, 7023, 7031, 7034), Kestrel's bind failure, the installer's port reservation.
    id: 'wac-gateway-start-failure', kind: 'gateway', severity: 'fail',
    re: new RegExp([
      String.raw`signing certificate \(thumbprint: [0-9A-Fa-f]{40}\) for file '[^'\n]{0,260}' is revoked`,
      String.raw`(?:Windows Admin Center|ServerManagementGateway|WindowsAdminCenter|SME Gateway|SmeGateway) service (?:failed to start|terminated unexpectedly|terminated with (?:the following |service-specific )?error|hung on starting|did not respond)`,
      String.raw`waiting for the (?:Windows Admin Center|ServerManagementGateway|WindowsAdminCenter) service to connect`,
      String.raw`Failed to bind to address https?:\/\/[^\s/]{1,100}:(\d{1,5})`,
      String.raw`Failed to reserve (?:port|URL|the port)[^\n\d]{0,40}(\d{1,5})`,
    ].join('|'), 'i'),
    hint: new RegExp(EVENT_HINT.source, 'i'),
    meaning: 'the Windows Admin Center gateway service cannot start or bind its port',
    subject: (m) => (m[1] ?? m[2] ? `port ${m[1] ?? m[2]}` : /revoked/i.test(m[0]) ? 'revoked signing certificate' : m[0].slice(0, 120)),
  },
  {
    // The agent's install script refuses an Azure VM (install_windows_azcmagent.ps1 / install_linux_azcmagent.sh), and
    // points at the test-only override; an Azure VM is managed from its own blade, not through Arc.
    id: 'azure-vm-refused', kind: 'environment', severity: 'fail',
    re: /Cannot install (?:the )?Azure Connected Machine agent on an Azure Virtual Machine|aka\.ms\/azcmagent-testwarning/i,
    hint: /Azure Virtual Machine|azcmagent-testwarning/i,
    meaning: 'the Connected Machine agent refused to install: the machine is an Azure VM',
  },
  {
    id: 'agent-status', kind: 'status', severity: 'info',
    re: /\bAgent Status\s*[:=]\s*"?(Connected|Disconnected|Expired)\b/i,
    hint: /Agent Status/i,
    meaning: 'the agent status as azcmagent show reports it',
    subject: group(1),
  },
  {
    id: 'service-state', kind: 'service', severity: 'info',
    re: /\((himds|extensionservice|gcarcservice|arcproxy|himdsd|extd|gcad|arcproxyd)\)\s*:\s*(running|stopped|unknown)\b|^\s*(Running|Stopped)\s+(himds|ExtensionService|GCArcService|arcproxy|ServerManagementGateway|WindowsAdminCenter|WindowsAdminCenterAccountManagement)\s/i,
    hint: /\((?:himds|extensionservice|gcarcservice|arcproxy|extd|gcad)|Running|Stopped/i,
    meaning: 'an agent or gateway service state (azcmagent show or Get-Service)',
    subject: (m) => (m[1] ? `${m[1]}=${m[2]}` : `${m[4]}=${m[3]}`),
  },
  {
    id: 'agent-version', kind: 'version', severity: 'info',
    re: new RegExp(String.raw`\b(?:Agent Version|AgentVersion|azcmagent version|(?:Connected Machine|HIMDS|himds) agent,? version|Connected Machine Agent version)\s*(?:[:=]\s*)?"?v?(${AGENT_VERSION_TEXT})\b`, 'i'),
    hint: /ersion/i,
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
  // Signatures share hints (the network ones one): each hint is tested once per text.
  let hintSeen: RegExp | undefined;
  let hintOk = false;
  for (const signature of SIGNATURES) {
    if (kinds && !kinds.has(signature.kind)) continue;
    if (signature.hint !== hintSeen) {
      hintSeen = signature.hint;
      hintOk = signature.hint.test(text);
    }
    if (!hintOk) continue;
    const m = signature.re.exec(text);
    if (!m) continue;
    const subject = signature.subject?.(m);
    out.push(subject ? { signature, subject, index: m.index } : { signature, index: m.index });
  }
  return out;
}


/**
 * Cheap prefilter for any record: a text this does not match cannot match any signature. It is the union of the
 * signatures' own hints, each a superset of its signature (tested on every example).
 */
export const SIGNATURE_HINT = new RegExp([...new Set(SIGNATURES.map((s) => s.hint.source))].join('|'), 'i');
