/**
 * websocket: WAC's Remote Desktop, Events and PowerShell tools run as WebSockets through the Azure Relay
 * (`*.servicebus.windows.net`). A proxy or firewall that terminates TLS can let HTTPS through and still drop or
 * answer the HTTP Upgrade; through an end-to-end TLS tunnel nothing in between can, so the relay's own answer counts.
 */
import type { EndpointProbe } from '../core/model/facts';
import { fixes } from '../core/catalog/fixes';
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';

const RELAY = '*.servicebus.windows.net';

type Judgement =
  | { kind: 'ok'; text: string }
  | { kind: 'blocked'; text: string }
  | { kind: 'failed'; text: string }
  | { kind: 'unknown'; text: string };

/** The TLS connection was terminated by something other than the relay (a non-public chain). */
const intercepted = (p: EndpointProbe): boolean => p.tls !== undefined && (p.tls.trustedPublicCa === false || p.tls.suppliedCa !== undefined);

function judge(p: EndpointProbe): Judgement {
  const w = p.websocket!;
  const server = w.server ? `, Server "${w.server}"` : '';
  if (w.ok) return { kind: 'ok', text: 'upgraded (101, valid Sec-WebSocket-Accept)' };
  if (w.status === 101) {
    return { kind: 'blocked', text: `answered 101 without ${w.upgrade ? 'a valid Sec-WebSocket-Accept' : '"Upgrade: websocket"'}${server}: not the relay's WebSocket handshake` };
  }
  if (w.status !== undefined) {
    const answer = `answered the upgrade with HTTP ${w.status}${server}`;
    if (intercepted(p)) return { kind: 'blocked', text: `the TLS-terminating device ${answer} (certificate issued by "${p.tls!.suppliedCa ?? p.tls!.issuer ?? 'an unnamed issuer'}", not a public root)` };
    // End-to-end TLS to a public chain: only the relay can have answered; no token was sent, so a refusal is its own.
    if (p.tls?.trustedPublicCa === true) return { kind: 'ok', text: `reached the relay, which ${answer} (no relay token is sent)` };
    return { kind: 'unknown', text: `${answer}, and the TLS data does not say whether the relay or a device in the path answered` };
  }
  const error = w.error ?? 'no answer';
  return intercepted(p) ? { kind: 'blocked', text: `the TLS-terminating device dropped the upgrade (${error})` } : { kind: 'failed', text: error };
}

export default defineRule({
  meta: {
    id: 'websocket',
    title: 'WebSockets reach the Azure Relay (Remote Desktop, Events, PowerShell)',
    category: 'network',
    severity: 'fail',
    description: [
      'WAC\'s Remote Desktop, Events and PowerShell tools are WebSockets to the Azure Relay (`*.servicebus.windows.net`).',
      'A live check sends the WebSocket opening handshake (HTTP/1.1 `Upgrade: websocket`, RFC 6455) to each relay host,',
      'through the proxy when one is configured (CONNECT, then TLS, then the Upgrade), without a relay token.',
      '',
      '- **fail**: "WebSockets blocked": a 101 without `Upgrade: websocket` or a valid `Sec-WebSocket-Accept`; or, over a TLS',
      '  connection whose certificate does not chain to a public root (a proxy or firewall terminating TLS), any other',
      '  answer (200, 400, 403, a block page) or a dropped connection; or the upgrade failed (timeout, reset).',
      '- **warn**: the upgrade was refused and the TLS data does not say whether the relay or a device in the path answered.',
      '- **pass**: every relay upgraded (101 with a valid accept), or refused the token-less request itself over TLS to a',
      '  public chain (a CONNECT tunnel with end-to-end TLS cannot be altered by the proxy).',
      '- **skip**: no relay probe records a WebSocket upgrade (pasted outputs do not; `check` and `collect` do, when the',
      '  TLS connection to the relay opened).',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/azure/azure-relay/relay-hybrid-connections-protocol',
      'https://www.rfc-editor.org/rfc/rfc6455#section-4',
    ],
    requires: [],
    anyOf: [['probe.*.servicebus.windows.net']],
    appliesTo: ['bundle', 'live'],
    fixes: ['allowWebSockets'],
  },
  check(ctx) {
    const probed = ctx.peek('probe', RELAY).filter((p) => p.value.websocket !== undefined).map((p) => ({ host: p.key, probe: ctx.get(`probe.${p.key}`)! }));
    if (probed.length === 0) return skip('No relay (*.servicebus.windows.net) probe records a WebSocket upgrade: a live check or a collect snapshot sends one once the TLS connection to a relay opens.');
    const judged = probed.map((p) => ({ ...p, j: judge(p.probe) }));
    const of = (kind: Judgement['kind']) => judged.filter((x) => x.j.kind === kind);
    const list = (xs: typeof judged): string => xs.map((x) => `${x.host}: ${x.j.text}`).join('; ');
    const blocked = of('blocked');
    const failed = of('failed');
    if (blocked.length > 0 || failed.length > 0) {
      const proxy = [...blocked, ...failed].find((x) => x.probe.proxy)?.probe.proxy;
      const head = blocked.length > 0 ? `WebSockets blocked by ${proxy ? `the proxy ${proxy}` : 'a device in the path'}` : 'The WebSocket upgrade to the relay failed';
      const evidence = [...blocked, ...failed].flatMap((x) => ctx.evidence(`probe.${x.host}`));
      return fail(`${head}: ${list([...blocked, ...failed])}. WAC's Remote Desktop, Events and PowerShell tools will not open.`,
        fixes.allowWebSockets([...blocked, ...failed].map((x) => x.host)), evidence.length ? { evidence } : {});
    }
    const unknown = of('unknown');
    if (unknown.length > 0) return warn(`Could not tell whether WebSockets reach the relay: ${list(unknown)}.`, fixes.allowWebSockets(unknown.map((x) => x.host)));
    return pass(`WebSockets reach the relay: ${list(of('ok'))}.`);
  },
});
