/**
 * Where a text names endpoints, and which part of the text is about each: one record may list many endpoints
 * (`required endpoints unavailable: https://A/ (error: ...), https://B/ (error: ...)`), and endpoints appear in
 * many shapes besides URLs (`Failed to Tls dialing <host>`, curl's `in connection to <host>:443`, `dial tcp: lookup <host>`, `connecting to <host>:443`,
 * `-ComputerName <host>`, `host=<host>`). Escaped quotes (`\"`) and link debris (`[url](url)`, `<url>`) end a URL.
 *
 * One global, linear scanner: alternatives are anchored on distinct literals, classes are bounded.
 */
import { usableHost } from './endpoints';

export interface EndpointMention {
  host: string;
  url?: string;
  port?: number;
  /** Offset of the mention in the text. */
  index: number;
}

export interface EndpointSegment extends EndpointMention {
  /** The text about this endpoint: from its first mention to the next other endpoint's mention. */
  text: string;
}

const HOST = String.raw`[A-Za-z0-9][A-Za-z0-9.-]{0,252}`;
const MENTION = new RegExp([
  // 1-4: a URL (http, https, ws, wss) with host, port and the rest up to a quote, space, backslash or bracket
  String.raw`\b(https?|wss?):\/\/(${HOST})(?::(\d{1,5}))?([^\s"'\\<>()\[\]]{0,2000})`,
  // 5, 6: `Tls dialing host[:port]`, `connecting to host:port`, `dial tcp host:port`
  String.raw`\b(?:Tls dialing|connecting to|dial tcp|in connection to|Failed to connect to) (${HOST})(?::(\d{1,5}))?`,
  // 7: a DNS lookup (`lookup host on 10.0.0.2:53: no such host`, `lookup host: no such host`)
  String.raw`\blookup (${HOST})`,
  // 8: PowerShell parameters and key=value forms naming a host
  String.raw`(?:-ComputerName|\bComputerName\s{0,20}:|\bRemoteAddress\s{0,20}:|\bhost[=:])\s{0,4}['"]?(${HOST})`,
  // 9: `could not be resolved: 'host'`, `Could not resolve host: host`
  String.raw`(?:could not be resolved:\s{0,2}'|Could not resolve host:\s{0,2})(${HOST})`,
].join('|'), 'gi');

const TRAILING = /[.,;:!?]+$/;

/** Every endpoint mention with a usable DNS name, in text order (IPs, localhost and single labels are dropped). */
export function endpointMentions(text: string): EndpointMention[] {
  const out: EndpointMention[] = [];
  MENTION.lastIndex = 0;
  for (let m = MENTION.exec(text); m; m = MENTION.exec(text)) {
    const rawHost = (m[2] ?? m[5] ?? m[7] ?? m[8] ?? m[9] ?? '').replace(TRAILING, '');
    const host = usableHost(rawHost);
    if (!host) continue;
    // A lookup or dial behind `proxyconnect` names the proxy, not the endpoint.
    if ((m[5] !== undefined || m[7] !== undefined) && /proxyconnect tcp:\s{0,2}(?:dial tcp:?\s{0,2})?$/i.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    const mention: EndpointMention = { host, index: m.index };
    if (m[1]) {
      const scheme = m[1].toLowerCase();
      mention.url = `${scheme}://${m[2]}${m[3] ? `:${m[3]}` : ''}${(m[4] ?? '').replace(TRAILING, '')}`;
      mention.port = m[3] ? Number(m[3]) : scheme === 'http' || scheme === 'ws' ? 80 : 443;
    } else if (m[6]) mention.port = Number(m[6]);
    out.push(mention);
  }
  MENTION.lastIndex = 0;
  return out;
}

/**
 * The text split by endpoint: each distinct host gets the text from its first mention up to the first mention of
 * another host after it (later mentions of the same host extend it). The text before the first mention is `prefix`.
 */
export function endpointSegments(text: string): { prefix: string; segments: EndpointSegment[] } {
  const mentions = endpointMentions(text);
  const segments: EndpointSegment[] = [];
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i]!;
    let j = i + 1;
    while (j < mentions.length && mentions[j]!.host === m.host) j++;
    const end = j < mentions.length ? mentions[j]!.index : text.length;
    const slice = text.slice(m.index, end);
    const existing = segments.find((s) => s.host === m.host);
    if (existing) {
      existing.text += ` ${slice}`;
      if (!existing.url && m.url) existing.url = m.url;
    } else {
      const url = m.url ?? mentions.slice(i, j).find((x) => x.url)?.url;
      const port = m.port ?? mentions.slice(i, j).find((x) => x.port)?.port;
      segments.push({ host: m.host, index: m.index, text: slice, ...(url ? { url } : {}), ...(port ? { port } : {}) });
    }
    i = j - 1;
  }
  return { prefix: text.slice(0, mentions[0]?.index ?? text.length), segments };
}

/** `proxyconnect tcp: dial tcp 10.0.0.1:3128` -> `10.0.0.1:3128` (the proxy the agent tried). */
export function proxyAddressIn(text: string): string | undefined {
  const m = /proxyconnect tcp:\s{0,2}dial tcp:?\s{0,2}(?:lookup\s)?(\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,253})(?::(\d{1,5}))?/i.exec(text);
  if (!m) return undefined;
  return m[2] ? `${m[1]}:${m[2]}` : m[1];
}
