/**
 * IP address classification for probe results: is a DNS answer private (RFC 1918, CGNAT), loopback or link-local?
 * A private answer for a public Microsoft endpoint usually means Private Link, a split-horizon DNS zone or a
 * TLS-inspecting proxy's sinkhole.
 */

function ipv4Octets(ip: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

function isPrivateIpv4(octets: readonly number[]): boolean {
  const [a, b] = octets as [number, number, number, number];
  return a === 10
    || (a === 172 && b >= 16 && b <= 31)
    || (a === 192 && b === 168)
    || (a === 100 && b >= 64 && b <= 127) // 100.64.0.0/10 carrier-grade NAT
    || a === 127
    || (a === 169 && b === 254);
}

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. Accepts an embedded IPv4 tail. */
function ipv6Groups(ip: string): number[] | undefined {
  let text = ip;
  const v4 = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4) {
    const o = ipv4Octets(v4[1]!);
    if (!o) return undefined;
    text = `${text.slice(0, v4.index + 1)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
    return groups.map((g) => Number.parseInt(g, 16));
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const known = head.length + rest.length;
  if (halves.length === 1) return known === 8 ? head : undefined;
  if (known > 7) return undefined;
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest];
}

/**
 * True for private, shared (CGNAT), loopback and link-local addresses:
 * IPv4 10/8, 172.16/12, 192.168/16, 100.64/10, 127/8, 169.254/16; IPv6 ::1, fc00::/7, fe80::/10,
 * and IPv4-mapped IPv6 (`::ffff:10.0.0.1`) by its IPv4 part. False for public and for unparsable text.
 */
export function isPrivateAddress(ip: string): boolean {
  const text = ip.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const v4 = ipv4Octets(text);
  if (v4) return isPrivateIpv4(v4);
  const g = ipv6Groups(text);
  if (!g) return false;
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true; // ::1
  if ((g[0]! & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((g[0]! & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return isPrivateIpv4([g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff]);
  }
  return false;
}

/** True when the text is an IPv4 or IPv6 address literal. */
export function isIpAddress(text: string): boolean {
  const t = text.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  return ipv4Octets(t) !== undefined || ipv6Groups(t) !== undefined;
}
