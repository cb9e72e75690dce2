// Where a webhook may go (decision 0111): HTTPS, or plain HTTP to a loopback address the URL itself names (tests,
// a sidecar). Every address the host resolves to is checked; private, link-local, unspecified, multicast and
// reserved ranges are refused unless configuration allows their network, and loopback only when the URL says
// loopback. The sender connects to the address checked here, so a second DNS answer cannot redirect it.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export interface CheckedTarget {
  url: URL;
  /** The address to connect to, one that passed the checks. */
  address: string;
  family: 4 | 6;
}

export class TargetRefused extends Error {
  readonly code = 'refused-address';
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

const refusedRanges = (() => {
  const b = new BlockList();
  const v4: [string, number][] = [
    ['0.0.0.0', 8], // unspecified, "this network"
    ['10.0.0.0', 8],
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8],
    ['169.254.0.0', 16], // link-local, cloud metadata
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, broadcast
  ];
  const v6: [string, number][] = [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7], // unique local
    ['fe80::', 10], // link-local
    ['ff00::', 8], // multicast
    ['64:ff9b::', 96], // NAT64 can reach any IPv4 address
    ['2001:db8::', 32],
  ];
  for (const [a, p] of v4) b.addSubnet(a, p, 'ipv4');
  for (const [a, p] of v6) b.addSubnet(a, p, 'ipv6');
  return b;
})();

const loopback = (() => {
  const b = new BlockList();
  b.addSubnet('127.0.0.0', 8, 'ipv4');
  b.addAddress('::1', 'ipv6');
  return b;
})();

/** The networks configuration allows despite the refused ranges (WEBHOOK_ALLOWED_NETWORKS, CIDR, comma-separated). */
export function allowedNetworks(cidrs: readonly string[]): BlockList {
  const b = new BlockList();
  for (const cidr of cidrs) {
    const [address, prefix] = cidr.trim().split('/');
    const family = isIP(address ?? '');
    if (family === 0) throw new Error(`not a CIDR network: ${cidr}`);
    b.addSubnet(address!, prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
  }
  return b;
}

/** An IPv4 address written as IPv6 (::ffff:a.b.c.d) is checked as the IPv4 address it is. */
function normalise(address: string): { address: string; family: 4 | 6 } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 4 };
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

/** Why the URL cannot be a webhook target at all, whatever it resolves to; undefined when its form is fine. */
export function urlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.username || url.password) return 'must not hold credentials';
  if (url.hash) return 'must not hold a fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_NAMES.has(url.hostname)) return undefined;
  return 'must use https (plain http only to a loopback address)';
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/** Resolves the URL's host and checks every address; throws TargetRefused naming the reason. */
export async function checkTarget(raw: string, allowed: BlockList, resolve: Resolver = systemResolver): Promise<CheckedTarget> {
  const problem = urlProblem(raw);
  if (problem) throw new TargetRefused(`the URL ${problem}`);
  const url = new URL(raw);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host) !== 0;
  let addresses: { address: string; family: number }[];
  try {
    addresses = literal ? [{ address: host, family: isIP(host) }] : await resolve(host);
  } catch (err) {
    throw new TargetRefused(`the host does not resolve (${(err as { code?: string }).code ?? 'error'})`);
  }
  if (addresses.length === 0) throw new TargetRefused('the host does not resolve');
  const saysLoopback = LOOPBACK_NAMES.has(url.hostname);
  const checked = addresses.map((a) => normalise(a.address));
  for (const a of checked) {
    const type = a.family === 4 ? 'ipv4' : 'ipv6';
    if (loopback.check(a.address, type)) {
      if (!saysLoopback) throw new TargetRefused('the host resolves to a loopback address the URL does not name');
      continue;
    }
    if (saysLoopback) throw new TargetRefused('a loopback name resolves to an address that is not loopback');
    if (refusedRanges.check(a.address, type) && !allowed.check(a.address, type)) {
      throw new TargetRefused('the host resolves to a private, link-local or reserved address');
    }
  }
  return { url, ...checked[0]! };
}
