/**
 * tls-inspection: the certificates the machine sees for Microsoft endpoints must be Microsoft's.
 * A re-signing proxy or firewall (TLS inspection) breaks the WAC certificate service, the relay and the agent.
 */
import type { EndpointProbe, TlsProbe } from '../core/model/facts';
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { targetPlatform } from './support/layer-fix';
import { classifyErrors } from '../core/catalog/error-taxonomy';

/**
 * Whether a handshake error means an untrusted issuer (Go, OpenSSL/Node, curl and .NET/PowerShell wordings): the
 * error taxonomy's untrusted-root rows, so that an expired or misnamed certificate (`...: NotTimeValid`,
 * `RemoteCertificateNameMismatch`) or a revocation check is not read as inspection.
 */
const untrustedChain = (error: string): boolean => classifyErrors(error).some((m) => m.layer === 'tls-untrusted-root');

/** Zones of Microsoft's cloud endpoints (Arc, WAC, Entra ID, ARM, relay, downloads). */
const MICROSOFT_ZONES = ['azure.com', 'azure.net', 'azure.us', 'azure.cn', 'windows.net', 'microsoft.com', 'microsoftonline.com', 'waconazure.com', 'msauth.net', 'msftauth.net', 'aka.ms', 'chinacloudapi.cn'];

export function isMicrosoftHost(host: string): boolean {
  const h = host.toLowerCase();
  return MICROSOFT_ZONES.some((z) => h === z || h.endsWith(`.${z}`));
}

interface TlsFinding {
  host: string;
  problems: string[];
  /** The certificate chains to a public root. */
  publicRoot: boolean;
  /** The only problem: the chain ends at the CA the user gave with --ca-file (TLS inspection the user knows of). */
  suppliedOnly: boolean;
  tls: TlsProbe;
}

const who = (tls: TlsProbe): string => (tls.issuer ? `"${tls.issuer}"` : tls.chain?.length ? `"${tls.chain[tls.chain.length - 1]}"` : 'an unnamed issuer');

function examine(host: string, probe: EndpointProbe, now: Date): TlsFinding {
  const tls = probe.tls!;
  const problems: string[] = [];
  if (tls.suppliedCa) {
    problems.push(`certificate chain ends at "${tls.suppliedCa}", the CA given with --ca-file, not at a public root`);
  } else if (tls.trustedPublicCa === false) {
    problems.push(`certificate issued by ${who(tls)} does not chain to a public root`);
  } else if (tls.error && untrustedChain(tls.error)) {
    problems.push(`certificate issued by ${who(tls)} is not trusted (${tls.error.trim()})`);
  }
  if (tls.hostnameMatch === false) problems.push(`certificate${tls.subject ? ` for "${tls.subject}"` : ''} does not match the host name`);
  if (tls.validTo) {
    const t = Date.parse(tls.validTo);
    if (!Number.isNaN(t) && t < now.getTime()) problems.push(`certificate expired on ${tls.validTo}`);
  }
  return { host, problems, publicRoot: tls.trustedPublicCa === true, suppliedOnly: tls.suppliedCa !== undefined && problems.length === 1, tls };
}

export default defineRule({
  meta: {
    id: 'tls-inspection',
    title: 'No TLS inspection between the machine and Microsoft endpoints',
    category: 'network',
    severity: 'fail',
    description: [
      'The WAC certificate service, Azure Relay and the Arc agent expect Microsoft\'s own certificates. A proxy or firewall',
      'that decrypts and re-signs HTTPS (TLS inspection) presents its own issuer instead, and the connections fail even',
      'when the endpoints are "reachable". Every endpoint probe carrying TLS details is examined:',
      '',
      '- **fail**: a certificate does not chain to a public root (`trustedPublicCa: false`), or the handshake error says',
      '  `unknown authority`, `self signed`, `unable to get local issuer`, `certificate chain` or (Windows PowerShell)',
      '  `trust relationship for the SSL/TLS secure channel` / `remote certificate is invalid`; or the certificate does not',
      '  match the host name; or it expired before the report time. The message names the host and the issuer seen.',
      '- **warn**: the only problem is that the chain ends at a CA given with `--ca-file` (a live check): the handshake',
      '  verifies, but a non-public CA re-signing Microsoft\'s endpoints is what TLS inspection looks like. The message',
      '  names the CA.',
      '- **pass**: no such problem, and at least one certificate was seen to chain to a public root.',
      '- **skip**: no probe has TLS data, or the TLS data does not say which root the certificates chain to.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/azure/azure-arc/servers/network-requirements',
      'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-networking',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
    ],
    requires: [],
    anyOf: [['probe.*']],
    optional: ['os'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['excludeFromTlsInspection'],
  },
  check(ctx) {
    // Microsoft's endpoints only: a gateway's own self-signed certificate (https://srv01:6516) is not inspection.
    const withTls = ctx.peek('probe').filter((p) => p.value.tls !== undefined && isMicrosoftHost(p.key)).map((p) => ({ key: p.key, value: ctx.get(`probe.${p.key}`)! }));
    if (withTls.length === 0) {
      return skip('No endpoint probe records TLS details (issuer, chain or handshake result), so TLS inspection could not be checked.');
    }
    const findings = withTls.map(({ key, value }) => examine(key, value, ctx.options.now));
    const bad = findings.filter((f) => f.problems.length > 0);
    if (bad.length > 0 && bad.every((f) => f.suppliedOnly)) {
      const evidence = bad.flatMap((f) => ctx.evidence(`probe.${f.host}`));
      return warn(
        `${bad.map((f) => `${f.host}: ${f.problems.join('; ')}`).join('. ')}. A non-public CA re-signing Microsoft's endpoints is what TLS inspection looks like; WAC, the relay and the agent do not trust it.`,
        fixes.excludeFromTlsInspection(bad.map((f) => f.host)), evidence.length > 0 ? { evidence } : {},
      );
    }
    if (bad.length > 0) {
      const inspected = bad.some((f) => f.tls.trustedPublicCa === false || f.tls.suppliedCa !== undefined || (f.tls.error !== undefined && untrustedChain(f.tls.error)));
      const why = inspected
        ? ' A re-signing proxy or firewall (TLS inspection) is likely in the path.'
        : '';
      // Evidence: the probes that show the problem, not every endpoint that was looked at (those passed).
      const evidence = bad.flatMap((f) => ctx.evidence(`probe.${f.host}`));
      return fail(`${bad.map((f) => `${f.host}: ${f.problems.join('; ')}`).join('. ')}.${why}`, fixes.excludeFromTlsInspection(bad.map((f) => f.host), targetPlatform(ctx)), evidence.length > 0 ? { evidence } : {});
    }
    const trusted = findings.filter((f) => f.publicRoot);
    if (trusted.length === 0) {
      const seen = findings.map((f) => `${f.host} (${f.tls.ok ? 'handshake ok' : `handshake failed${f.tls.error ? `: ${f.tls.error.trim()}` : ''}`}${f.tls.issuer ? `, issuer "${f.tls.issuer}"` : ''})`);
      return skip(`The TLS data for ${seen.join(', ')} does not say whether the certificates chain to a public root, so TLS inspection could not be ruled out or confirmed.`);
    }
    return pass(`Certificates chain to public roots: ${trusted.map((f) => `${f.host} (issuer ${who(f.tls)})`).join(', ')}.`);
  },
});
