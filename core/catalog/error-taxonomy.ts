/**
 * One table of network error texts -> the layer that failed. Go (the agent, azcmagent, sshproxy), Windows
 * (.NET, WinHTTP, Schannel, PowerShell), curl/OpenSSL, Python and browser wordings. Each row is one wording family with
 * examples that its test checks; rows are tried in `LAYER_ORDER` so the most specific layer wins (a
 * `proxyconnect tcp: ... i/o timeout` is the proxy's failure, not the endpoint's timeout).
 *
 * Every pattern is linear: literals, bounded classes, no nested quantifiers.
 */

export type ErrorLayer =
  | 'proxy-auth' | 'proxy-connect'
  | 'tls-untrusted-root' | 'tls-expired' | 'tls-name' | 'tls-revocation' | 'tls-handshake'
  | 'dns' | 'tcp-timeout' | 'tcp-refused' | 'reset' | 'http-status';

export interface ErrorClass {
  layer: ErrorLayer;
  /** The software family whose wording this is. */
  family: 'go' | 'windows' | 'curl' | 'python' | 'node' | 'browser' | 'any';
  re: RegExp;
  meaning: string;
  /** Texts this row must classify as `layer` (tested). */
  examples: string[];
}

/** Most specific first: the first layer that matches is the one that failed. */
export const LAYER_ORDER: readonly ErrorLayer[] = [
  'proxy-auth', 'proxy-connect', 'tls-untrusted-root', 'tls-expired', 'tls-name', 'tls-revocation', 'tls-handshake',
  'dns', 'tcp-timeout', 'tcp-refused', 'reset', 'http-status',
];

export const LAYER_TITLES: Record<ErrorLayer, string> = {
  'proxy-auth': 'the proxy wants credentials (HTTP 407)',
  'proxy-connect': 'the connection to the proxy failed',
  'tls-untrusted-root': 'the certificate chain ends at an untrusted root (TLS inspection)',
  'tls-expired': 'the certificate has expired',
  'tls-name': 'the certificate is for another name',
  'tls-revocation': 'the certificate\'s revocation could not be checked (CRL/OCSP endpoints unreachable)',
  'tls-handshake': 'the TLS handshake failed or was cut',
  'dns': 'the name does not resolve (DNS)',
  'tcp-timeout': 'the connection timed out (packets dropped)',
  'tcp-refused': 'the connection was refused or has no route',
  'reset': 'the connection was reset or closed by the peer',
  'http-status': 'the server answered with an HTTP error status',
};

export const ERROR_CLASSES: readonly ErrorClass[] = [
  {
    layer: 'proxy-auth', family: 'any',
    re: /\b407\b[^\n]{0,40}Proxy Authentication Required|Proxy Authentication Required|\(407\)|status(?: code)?[ =:"']{0,4}407\b|Received HTTP (?:code )?407 from proxy/i,
    meaning: 'the proxy answered 407 Proxy Authentication Required',
    examples: ['The remote server returned an error: (407) Proxy Authentication Required.', 'Status Code=407', 'curl: (56) Received HTTP code 407 from proxy after CONNECT', 'Received HTTP 407 from proxy',
      "The proxy tunnel request to proxy 'http://10.1.1.1:3128/' failed with status code '407'."],
  },
  {
    layer: 'proxy-connect', family: 'go',
    re: /proxyconnect tcp/i,
    meaning: 'Go could not open the connection to the configured proxy (the error after it says how)',
    examples: ['Get "https://gbl.his.arc.azure.com/": proxyconnect tcp: dial tcp [::1]:8888: connectex: No connection could be made'],
  },
  {
    layer: 'proxy-connect', family: 'windows',
    re: /proxy name could not be resolved|Unable to connect to the proxy|ERROR_WINHTTP_NAME_NOT_RESOLVED[^\n]{0,20}proxy/i,
    meaning: 'Windows could not reach or resolve the configured proxy',
    examples: ["The proxy name could not be resolved: 'proxy.contoso.com'"],
  },
  {
    layer: 'proxy-connect', family: 'curl',
    re: /Could not resolve proxy|Received HTTP code (?!407)\d{3} from proxy after CONNECT|CONNECT tunnel failed|proxy tunnel request to proxy [^\n]{1,200} failed with status code '(?!407)\d{3}'/i,
    meaning: 'curl could not use the proxy (unresolved, refused, or it refused the CONNECT)',
    examples: ['curl: (5) Could not resolve proxy: proxy.contoso.com', 'curl: (56) Received HTTP code 403 from proxy after CONNECT', 'CONNECT tunnel failed, response 403', "The proxy tunnel request to proxy 'http://10.1.1.1:3128/' failed with status code '502'."],
  },
  {
    layer: 'tls-untrusted-root', family: 'go',
    re: /x509: certificate signed by unknown authority|x509: certificate is not trusted/i,
    meaning: 'the certificate chain ends at a root the machine does not trust: typically TLS inspection',
    examples: ['x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "Contoso CA")'],
  },
  {
    layer: 'tls-untrusted-root', family: 'windows',
    // .NET's generic "invalid according to the validation procedure" names its policy error after a colon on newer
    // runtimes: a name mismatch alone is tls-name's, not an untrusted chain.
    re: /Could not establish trust relationship for the SSL\/TLS secure channel|remote certificate is invalid according to the validation procedure(?!:\s{0,2}RemoteCertificateNameMismatch(?!\s{0,2},\s{0,2}RemoteCertificate))|SEC_E_UNTRUSTED_ROOT|CERT_E_UNTRUSTEDROOT|0x800b0109|\bUntrustedRoot\b|\bPartialChain\b|certificate chain was issued by an authority that is not trusted/i,
    meaning: 'Schannel/.NET refused the chain (untrusted root)',
    examples: ['The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.', 'The remote certificate is invalid according to the validation procedure.', 'SEC_E_UNTRUSTED_ROOT (0x80090325)',
      'The remote certificate is invalid because of errors in the certificate chain: PartialChain',
      'The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch, RemoteCertificateChainErrors'],
  },
  {
    layer: 'tls-untrusted-root', family: 'curl',
    re: /unable to get local issuer certificate|self[- ]signed certificate|certificate verify failed|SSL certificate problem: (?!certificate has expired)/i,
    meaning: 'OpenSSL (curl, Python, Node) could not verify the chain to a trusted root',
    examples: ['curl: (60) SSL certificate problem: unable to get local issuer certificate', '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self signed certificate in certificate chain'],
  },
  {
    layer: 'tls-expired', family: 'any',
    re: /x509: certificate has expired|certificate has expired|SEC_E_CERT_EXPIRED|CERT_E_EXPIRED|0x800b0101|\bNotTimeValid\b|CERT_HAS_EXPIRED/i,
    meaning: 'the certificate presented has expired (or the machine clock is wrong)',
    examples: ['x509: certificate has expired or is not yet valid: current time 2026-01-01T00:00:00Z is after 2025-12-01T00:00:00Z', 'SEC_E_CERT_EXPIRED', 'Error: certificate has expired (CERT_HAS_EXPIRED)'],
  },
  {
    layer: 'tls-name', family: 'any',
    re: /x509: certificate is valid for|certificate is not valid for|SEC_E_WRONG_PRINCIPAL|CERT_E_CN_NO_MATCH|RemoteCertificateNameMismatch|no alternative certificate subject name matches|Hostname\/IP does not match certificate|ERR_TLS_CERT_ALTNAME_INVALID/i,
    meaning: 'the certificate is for another name (a proxy or the wrong server answered)',
    examples: ['x509: certificate is valid for proxy.contoso.com, not management.azure.com', 'curl: (60) SSL: no alternative certificate subject name matches target host name', 'SEC_E_WRONG_PRINCIPAL',
      'The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch',
      'Invoke-WebRequest : The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch At line:1 char:1'],
  },
  {
    // Schannel checks revocation over WinHTTP (port 80, the WinHTTP proxy): blocked CRL/OCSP endpoints fail the
    // handshake with these, not with an untrusted chain (Azure Firewall explicit proxy's "non-proxy request" case).
    layer: 'tls-revocation', family: 'windows',
    re: /revocation function was unable to check revocation|revocation server was offline|CRYPT_E_NO_REVOCATION_CHECK|CRYPT_E_REVOCATION_OFFLINE|0x8009201[23]\b|\bRevocationStatusUnknown\b|\bOfflineRevocation\b/i,
    meaning: 'Schannel/.NET could not check the certificate\'s revocation (the CRL and OCSP endpoints were not reachable)',
    examples: ['The revocation function was unable to check revocation for the certificate.', 'schannel: next InitializeSecurityContext failed: CRYPT_E_REVOCATION_OFFLINE (0x80092013) - The revocation function was unable to check revocation because the revocation server was offline.',
      'The remote certificate is invalid because of errors in the certificate chain: RevocationStatusUnknown, OfflineRevocation', 'curl: (35) schannel: next InitializeSecurityContext failed: Unknown error (0x80092012)'],
  },
  {
    layer: 'tls-handshake', family: 'go',
    re: /tls: handshake failure|remote error: tls: [a-z]|TLS handshake timeout|tls: first record does not look like a TLS handshake|tls: no supported versions/i,
    meaning: 'the TLS handshake failed (protocol or cipher mismatch, or a device in the path cut it)',
    examples: ['remote error: tls: handshake failure', 'net/http: TLS handshake timeout', 'tls: first record does not look like a TLS handshake'],
  },
  {
    layer: 'tls-handshake', family: 'windows',
    re: /The SSL connection could not be established|Could not create SSL\/TLS secure channel|An unexpected error occurred on a send|Authentication failed because the remote party has closed the transport stream|do not possess a common algorithm|SEC_E_[A-Z_]{4,40}|0x80072f8f|0x80072f7d|ERROR_WINHTTP_SECURE_FAILURE/i,
    meaning: 'Schannel/.NET could not complete the TLS handshake (cipher suites, protocol, or a device that cut the connection)',
    examples: ['The SSL connection could not be established, see inner exception.', 'The request was aborted: Could not create SSL/TLS secure channel.', 'The underlying connection was closed: An unexpected error occurred on a send.', 'SEC_E_ILLEGAL_MESSAGE'],
  },
  {
    layer: 'tls-handshake', family: 'curl',
    re: /SSL_ERROR_SYSCALL|wrong version number|sslv3 alert handshake failure|SSL_connect: |OpenSSL SSL_read: [^\n]{0,40}error|ssl handshake (?:failed|failure)|EPROTO[^\n]{0,40}SSL/i,
    meaning: 'OpenSSL could not complete the handshake (often a device that resets TLS)',
    examples: ['curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to gbl.his.arc.azure.com:443', 'ssl3_get_record:wrong version number'],
  },
  {
    layer: 'dns', family: 'go',
    // `lookup <host> on <resolver>:53: read udp ...: connection refused`: the resolver failed, not the endpoint.
    re: /no such host|server misbehaving|lookup [A-Za-z0-9.-]{1,253}[^\n]{0,40}: (?:i\/o timeout|no such host|server misbehaving)|lookup [A-Za-z0-9.-]{1,253} on [0-9A-Fa-f.:[\]]{2,64}:53: /i,
    meaning: 'the name did not resolve (Go resolver)',
    examples: ['dial tcp: lookup gbl.his.arc.azure.com on 10.0.0.2:53: no such host', 'lookup westeurope.his.arc.azure.com: server misbehaving',
      'dial tcp: lookup gbl.his.arc.azure.com on 127.0.0.53:53: read udp 127.0.0.1:40000->127.0.0.53:53: read: connection refused'],
  },
  {
    layer: 'dns', family: 'windows',
    re: /No such host is known|This host is not known|remote name could not be resolved|DNS name does not exist|requested name is valid, but no data of the requested type was found|WSANO_DATA|0x80072ee7|ERROR_WINHTTP_NAME_NOT_RESOLVED|WSAHOST_NOT_FOUND|Name resolution of [^\n]{1,253} failed/i,
    meaning: 'the name did not resolve (Windows resolver)',
    examples: ["The remote name could not be resolved: 'gbl.his.arc.azure.com'", 'No such host is known. (gbl.his.arc.azure.com:443)', 'WinHttpSendRequest failed with 0x80072ee7',
      'The requested name is valid, but no data of the requested type was found. (gbl.his.arc.azure.com:443)'],
  },
  {
    layer: 'dns', family: 'curl',
    re: /Could not resolve host|Name or service not known|Temporary failure in name resolution|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|nodename nor servname provided|\bNXDOMAIN\b|Failed to resolve/i,
    meaning: 'the name did not resolve (libc, curl, Node, Python)',
    examples: ['curl: (6) Could not resolve host: gbl.his.arc.azure.com', 'getaddrinfo ENOTFOUND pas.windows.net', '[Errno -3] Temporary failure in name resolution'],
  },
  {
    layer: 'dns', family: 'browser',
    re: /\bERR_NAME_NOT_RESOLVED\b|\bDNS_PROBE_FINISHED_NXDOMAIN\b|\bERR_NAME_RESOLUTION_FAILED\b/,
    meaning: 'the browser could not resolve the name (Chromium and Edge network errors, in the developer tools or the error page)',
    examples: ['GET https://westeurope.service.waconazure.com/ net::ERR_NAME_NOT_RESOLVED', 'DNS_PROBE_FINISHED_NXDOMAIN'],
  },
  {
    layer: 'tcp-timeout', family: 'go',
    re: /i\/o timeout|context deadline exceeded|Client\.Timeout exceeded|connect: connection timed out/i,
    meaning: 'the connection or read timed out (a firewall dropping packets, or no route)',
    examples: ['dial tcp 20.1.2.3:443: i/o timeout', 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)'],
  },
  {
    layer: 'tcp-timeout', family: 'windows',
    re: /connected party did not properly respond after a period of time|The operation has timed out|The operation timed out|WSAETIMEDOUT|0x80072ee2|ERROR_WINHTTP_TIMEOUT|TCP connect to [^\n]{1,120} failed/i,
    meaning: 'the connection timed out (Windows wording)',
    examples: ['A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond 20.1.2.3:443', 'The operation has timed out.', 'WARNING: TCP connect to (20.1.2.3 : 443) failed'],
  },
  {
    layer: 'tcp-timeout', family: 'curl',
    re: /Connection timed out|Operation timed out|ETIMEDOUT|after \d+ ms: Timed out/i,
    meaning: 'the connection timed out (curl, libc, Node)',
    examples: ['curl: (28) Failed to connect to pas.windows.net port 443 after 21045 ms: Timed out', 'connect ETIMEDOUT 20.1.2.3:443', 'curl: (28) Connection timed out after 10001 milliseconds'],
  },
  {
    layer: 'tcp-refused', family: 'any',
    re: /connection refused|actively refused|ECONNREFUSED|No connection could be made|Unable to connect to the remote server|network is unreachable|no route to host|EHOSTUNREACH|ENETUNREACH|socket operation was attempted to an unreachable (?:network|host)|Couldn't connect to server|0x80072efd|ERROR_WINHTTP_CANNOT_CONNECT/i,
    meaning: 'the connection was refused, or there is no route (nothing listening, a firewall rejecting, no network)',
    examples: ['dial tcp 127.0.0.1:8888: connect: connection refused', 'No connection could be made because the target machine actively refused it.', 'Unable to connect to the remote server', 'connect: network is unreachable',
      'dial tcp 20.50.2.1:443: connectex: A socket operation was attempted to an unreachable network.'],
  },
  {
    layer: 'reset', family: 'any',
    re: /connection reset by peer|forcibly closed by the remote host|ECONNRESET|connection was closed unexpectedly|:\s{0,2}EOF\b|unexpected EOF|Connection reset|0x80072efe|ERROR_WINHTTP_CONNECTION_ERROR|socket hang up/i,
    meaning: 'the connection was reset or closed mid-way (a firewall or IPS cutting it)',
    examples: ['read tcp 10.0.0.4:50000->20.1.2.3:443: wsarecv: An existing connection was forcibly closed by the remote host.', 'Get "https://x.example.net/": EOF', 'read: connection reset by peer', 'The underlying connection was closed: The connection was closed unexpectedly.'],
  },
  {
    layer: 'http-status', family: 'any',
    re: /\((?:4\d\d|5\d\d)\) [A-Z][a-z]|\b(?:4\d\d|5\d\d) (?:Bad Request|Unauthorized|Forbidden|Not Found|Method Not Allowed|Request Timeout|Too Many Requests|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)\b|Response status code does not indicate success: \d{3}|(?:status|StatusCode|Status Code)[ =:"]{1,4}(?:4\d\d|5\d\d)\b/i,
    meaning: 'an HTTP answer with an error status (the server, or a device, was reached)',
    examples: ['The remote server returned an error: (503) Server Unavailable.', 'Response status code does not indicate success: 502 (Bad Gateway).', 'StatusCode: 404'],
  },
];

export interface ErrorMatch {
  readonly layer: ErrorLayer;
  readonly family: ErrorClass['family'];
  /** Offset of the match in the text. */
  readonly index: number;
  /** HTTP status for http-status and proxy-auth. */
  readonly status?: number;
}

const STATUS_IN = /\b([45]\d\d)\b/;

let lastText: string | undefined;
let lastMatches: readonly ErrorMatch[] = [];

/**
 * Every layer the text states, most specific first (one match per layer). A log record's endpoint failure asks this
 * of the same text up to three times (whether it has its own error, its layers, where to quote from): the last
 * answer is remembered, and is read-only for that reason.
 */
export function classifyErrors(text: string): readonly ErrorMatch[] {
  if (text === lastText) return lastMatches;
  lastMatches = classify(text);
  lastText = text;
  return lastMatches;
}

function classify(text: string): readonly ErrorMatch[] {
  const byLayer = new Map<ErrorLayer, ErrorMatch>();
  for (const row of ERROR_CLASSES) {
    if (byLayer.has(row.layer)) continue;
    const m = row.re.exec(text);
    if (!m) continue;
    const status = row.layer === 'proxy-auth' ? 407 : row.layer === 'http-status' ? STATUS_IN.exec(m[0])?.[1] : undefined;
    byLayer.set(row.layer, status === undefined ? { layer: row.layer, family: row.family, index: m.index } : { layer: row.layer, family: row.family, index: m.index, status: Number(status) });
  }
  return LAYER_ORDER.filter((l) => byLayer.has(l)).map((l) => byLayer.get(l)!);
}

/** The layer that failed: the most specific one the text states. */
export function classifyError(text: string): ErrorMatch | undefined {
  return classifyErrors(text)[0];
}

/** The error is the proxy's (the endpoint itself was never tried). */
export function isProxyLayer(layer: ErrorLayer | undefined): boolean {
  return layer === 'proxy-auth' || layer === 'proxy-connect';
}

export function isTlsLayer(layer: ErrorLayer | undefined): boolean {
  return layer !== undefined && layer.startsWith('tls-');
}

/** A cheap prefilter: text without any of these literals cannot match a row. */
export const ERROR_HINT = /407|roxy|revocation|0x8009201|tunnel failed|name resolution|requested type|x509|certificate|trust relationship|SEC_E|CERT_E|0x800b|0x80072|UntrustedRoot|NotTimeValid|verify failed|SSL|TLS|tls:|handshake|secure channel|on a send|transport stream|common algorithm|EPROTO|host|misbehaving|resolve|DNS name|WINHTTP|WSA|NXDOMAIN|ENOTFOUND|EAI_AGAIN|servname|timeout|timed out|deadline|did not properly respond|ETIMEDOUT|TCP connect|refused|ECONNREFUSED|No connection could be made|Unable to connect|unreachable|no route|EHOSTUNREACH|ENETUNREACH|connect to server|reset|forcibly closed|ECONNRESET|closed unexpectedly|EOF|hang up|\([45]\d\d\)|[45]\d\d [A-Z]|does not indicate success|status/i;
