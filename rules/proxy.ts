/**
 * proxy: WAC behind a proxy needs an unauthenticated proxy that the AdminCenter extension is told about;
 * extensions don't inherit the agent's proxy configuration.
 */
import type { Fix } from '../core/model/types';
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { parseVersion, compareVersions } from '../core/model/version';
import { redact } from '../core/text/redact';

/** Last extension version without proxy settings (proxy support arrived in 0.0.0.322). */
const LAST_WITHOUT_PROXY = '0.0.0.321';
const AGENT_SOURCES: Array<['config.proxyUrl' | 'agent.httpsProxy' | 'env.httpsProxy', string]> = [
  ['config.proxyUrl', 'proxy.url'],
  ['agent.httpsProxy', '"Using HTTPS Proxy" of azcmagent show'],
  ['env.httpsProxy', 'HTTPS_PROXY'],
];

const isEmpty = (v: string | undefined): boolean => v === undefined || /^\s*(|none|not set|\(none\)|\[\])\s*$/i.test(v);

/** Credentials (userinfo) in a proxy URL, with or without a scheme. */
export function hasCredentials(url: string): boolean {
  const rest = url.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  return rest.includes('@');
}

/** The URL with everything before the last `@` of the authority replaced by `***`. */
export function maskCredentials(url: string): string {
  const t = url.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(t)?.[0] ?? '';
  const rest = t.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  return at < 0 ? t : `${scheme}***@${rest.slice(at + 1)}`;
}

interface Problem {
  level: 'fail' | 'warn';
  text: string;
  fix: Fix;
}

export default defineRule({
  meta: {
    id: 'proxy',
    title: 'The proxy setup works for Windows Admin Center',
    category: 'network',
    severity: 'fail',
    description: [
      'Behind a proxy, the agent uses `proxy.url` (`azcmagent config`), which beats the `HTTPS_PROXY` environment variable;',
      '`azcmagent show` reports the proxy in use. Extensions don\'t inherit the agent\'s proxy configuration: the AdminCenter',
      'extension (0.0.0.322 and later) takes its own `proxy` settings (`mode`, `address`). Authenticated proxies aren\'t',
      'supported by the WAC extension (nor on Azure Local).',
      '',
      '- **fail**: a proxy URL (agent `proxy.url`, the agent\'s HTTPS proxy, `HTTPS_PROXY`, the extension\'s proxy address or',
      '  the probed proxy) carries credentials (`user:pass@`; the message masks them as `***`); the proxy answered',
      '  407 Proxy Authentication Required (live probe or a logged `proxy-auth` signature); or the live probe',
      '  could not reach the proxy; or requests died at the proxy (Go\'s `proxyconnect tcp: ...` in logs or pasted output):',
      '  the message names the proxy `host:port` and how the connection to it failed (refused, timed out, unresolved),',
      '  and the endpoints behind it are reported as not tested rather than blocked (one broken proxy, one verdict).',
      '- **warn**: the agent uses a proxy but the installed AdminCenter extension has no proxy settings, or its version',
      '  predates proxy support (0.0.0.321 or older); or the live proxy probe ended in an error.',
      '- **pass**: no proxy anywhere ("no proxy configured"), or a proxy without those problems; the message lists the',
      '  proxies and `proxy.bypass` values seen.',
      '- **skip**: only inputs that do not say whether the agent uses a proxy (and no problem in them).',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/azure/azure-arc/servers/manage-agent',
      'https://learn.microsoft.com/azure/azure-local/manage/configure-proxy-settings-23h2',
    ],
    requires: [],
    anyOf: [['config.proxyUrl', 'agent.httpsProxy', 'env.httpsProxy', 'config.proxyBypass', 'extension.adminCenter', 'proxy.probe', 'log.signatures']],
    optional: ['machine.resourceId', 'wac.port'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['setAgentProxy', 'setExtensionProxy', 'reinstallExtension'],
  },
  check(ctx) {
    const resourceId = ctx.get('machine.resourceId');
    const wacPort = ctx.get('wac.port')?.port;
    const problems: Problem[] = [];

    const agentSeen = AGENT_SOURCES.filter(([name]) => ctx.has(name)).map(([name, label]) => ({ label, url: ctx.get(name) ?? '' }));
    const agentSet = agentSeen.filter((s) => !isEmpty(s.url));
    const agentProxy = agentSet[0]?.url;
    const ext = ctx.get('extension.adminCenter');
    const extInstalled = ext !== undefined && ext.installed !== false;
    const extProxy = extInstalled && !isEmpty(ext.proxyAddress) ? ext.proxyAddress!.trim() : undefined;
    const probe = ctx.get('proxy.probe');
    const bypass = ctx.get('config.proxyBypass') ?? [];
    const auth407 = (ctx.get('log.signatures') ?? []).filter((s) => s.id === 'proxy-auth');
    // Endpoints whose requests died at the proxy (Go's `proxyconnect tcp: ...`): one broken proxy, one verdict.
    // Peek first, so only the probes that failed at the proxy become evidence; `get` marks those read.
    const viaBrokenProxy = ctx.peek('probe').filter((p) => p.value.reachable === false && p.value.layer === 'proxy-connect');
    for (const p of viaBrokenProxy) ctx.get(`probe.${p.key}`);
    const connectHits = (ctx.get('log.signatures') ?? []).filter((s) => s.id === 'proxy-connect');

    // Credentials anywhere: never echoed.
    const withCreds = agentSet.filter((s) => hasCredentials(s.url));
    if (withCreds.length > 0) {
      problems.push({
        level: 'fail',
        text: `${withCreds.map((s) => `${s.label} is ${maskCredentials(s.url)}`).join(', ')}: the URL carries credentials, and authenticated proxies aren't supported by the WAC extension (nor on Azure Local).`,
        fix: fixes.setAgentProxy(withCreds[0]!.url),
      });
    }
    if (extProxy && hasCredentials(extProxy)) {
      problems.push({
        level: 'fail',
        text: `The AdminCenter extension proxy address is ${maskCredentials(extProxy)}: it carries credentials, and authenticated proxies aren't supported by the WAC extension.`,
        fix: fixes.setExtensionProxy(resourceId, wacPort, extProxy),
      });
    }
    if (probe && hasCredentials(probe.url) && !agentSet.some((s) => s.url.trim() === probe.url.trim())) {
      problems.push({
        level: 'fail',
        text: `The probed proxy ${maskCredentials(probe.url)} carries credentials; authenticated proxies aren't supported by the WAC extension.`,
        fix: fixes.setAgentProxy(probe.url),
      });
    }

    // 407 from the proxy.
    const probeShown = probe ? maskCredentials(probe.url) : undefined;
    if (probe?.status === 'auth-required' || auth407.length > 0) {
      const where = [
        ...(probe?.status === 'auth-required' ? [`the proxy ${probeShown} answered 407 Proxy Authentication Required`] : []),
        ...(auth407.length > 0 ? [`407 Proxy Authentication Required seen ${auth407.length === 1 ? 'once' : `${auth407.length} times`} in logs${auth407[0]!.time ? ` (first at ${auth407[0]!.time})` : ''}`] : []),
      ];
      problems.push({
        level: 'fail',
        text: `${where.join('; ')}: the proxy requires authentication, which the WAC extension doesn't support. Use a proxy (or a rule on it) that lets the machine through without credentials.`,
        fix: fixes.setAgentProxy(),
      });
    }
    if ((viaBrokenProxy.length > 0 || connectHits.length > 0) && probe?.status !== 'unreachable') {
      const addresses = [...new Set(viaBrokenProxy.map((p) => p.value.proxyAddress).filter((a): a is string => !!a))];
      const named = addresses.length ? ` ${addresses.join(', ')}` : agentProxy ? ` ${maskCredentials(agentProxy)}` : '';
      const underlying = viaBrokenProxy.map((p) => p.value.error ?? '').find((e) => /refused|timeout|timed out|no such host|unreachable/i.test(e));
      const how = underlying
        ? /refused/i.test(underlying) ? ': nothing accepts connections there (connection refused)'
          : /no such host/i.test(underlying) ? ': its name does not resolve'
            : ': connecting to it timed out'
        : '';
      const hosts = viaBrokenProxy.map((p) => p.key);
      problems.push({
        level: 'fail',
        text: `The connection to the proxy${named} failed${how}${hosts.length ? `, so requests to ${hosts.slice(0, 5).join(', ')}${hosts.length > 5 ? ` and ${hosts.length - 5} more` : ''} never left the machine` : ''}. The endpoints themselves were not tested: fix the proxy (start it, correct proxy.url) or clear it, then run azcmagent check again.`,
        fix: fixes.setAgentProxy(agentProxy),
      });
    }
    if (probe?.status === 'unreachable') {
      problems.push({
        level: 'fail',
        text: `The proxy ${probeShown} is unreachable${probe.error ? ` (${redact(probe.error.trim())})` : ''}: nothing that uses it can reach Azure.`,
        fix: fixes.setAgentProxy(),
      });
    } else if (probe?.status === 'error') {
      problems.push({
        level: 'warn',
        text: `Probing the proxy ${probeShown} ended in an error${probe.error ? `: ${redact(probe.error.trim())}` : ''}.`,
        fix: fixes.setAgentProxy(agentProxy ?? probe.url),
      });
    }

    // The extension doesn't inherit the agent proxy.
    if (agentProxy && extInstalled) {
      const version = ext.version && parseVersion(ext.version) ? ext.version : undefined;
      if (version && compareVersions(version, LAST_WITHOUT_PROXY) <= 0) {
        problems.push({
          level: 'warn',
          text: `The agent uses the proxy ${maskCredentials(agentProxy)} but AdminCenter extension ${version} predates proxy settings (0.0.0.322 or later), and extensions don't inherit the agent proxy.`,
          fix: fixes.combine(fixes.reinstallExtension(resourceId, wacPort), fixes.setExtensionProxy(resourceId, wacPort, agentProxy)),
        });
      } else if (!extProxy) {
        problems.push({
          level: 'warn',
          text: `The agent uses the proxy ${maskCredentials(agentProxy)} (${agentSet[0]!.label}) but the AdminCenter extension${ext.version ? ` ${ext.version}` : ''} has no proxy settings; extensions don't inherit the agent proxy, so WAC may not reach its endpoints.`,
          fix: fixes.setExtensionProxy(resourceId, wacPort, agentProxy),
        });
      }
    }

    const worst = problems.some((p) => p.level === 'fail') ? 'fail' : problems.length > 0 ? 'warn' : undefined;
    if (worst) {
      const chosen = problems.filter((p) => p.level === worst);
      const also = problems.filter((p) => p.level !== worst).map((p) => ` Also: ${p.text}`).join('');
      const fix = chosen.length === 1 ? chosen[0]!.fix : fixes.combine(...chosen.map((p) => p.fix));
      const message = chosen.map((p) => p.text).join(' ') + also;
      return worst === 'fail' ? fail(message, fix) : warn(message, fix);
    }

    const bypassNote = bypass.length
      ? ` proxy.bypass is [${bypass.join(', ')}]${bypass.some((b) => b.toUpperCase() === 'AAD') ? ' (AAD, including pas.windows.net, goes direct and must be reachable without the proxy)' : ''}.`
      : '';
    if (agentSet.length === 0 && !extProxy && !(probe && probe.status === 'ok')) {
      if (agentSeen.length === 0) {
        return skip(`No input says whether the agent uses a proxy (proxy.url from azcmagent config list, "Using HTTPS Proxy" from azcmagent show, or HTTPS_PROXY); the inputs seen show no proxy problem.${bypassNote}`);
      }
      const labels = agentSeen.map((s) => s.label);
      const listed = labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]} are` : `${labels[0]} is`;
      return pass(`No proxy configured: ${listed} empty${extInstalled ? '; the AdminCenter extension has no proxy settings' : ''}.${bypassNote}`);
    }
    const parts: string[] = [];
    if (agentProxy) parts.push(`The agent uses the proxy ${maskCredentials(agentProxy)} (${agentSet[0]!.label})`);
    else if (agentSeen.length === 0) parts.push('The agent\'s proxy settings were not provided');
    else parts.push('The agent uses no proxy');
    if (extProxy) parts.push(`the AdminCenter extension uses ${maskCredentials(extProxy)}${ext?.proxyMode ? ` (mode ${ext.proxyMode})` : ''}`);
    else if (agentProxy && ext === undefined) parts.push('the AdminCenter extension settings weren\'t provided (extensions don\'t inherit the agent proxy; check its proxy settings)');
    if (probe?.status === 'ok') parts.push(`the proxy ${probeShown} answered without asking for credentials`);
    return pass(`${parts.join('; ')}.${bypassNote}`);
  },
});
