/** Is this client address one the host distrusts? A host callback, or a list of ranges. */
export type UntrustedIpTest = (ip: string) => boolean | Promise<boolean>;

/** An address as a number: what ranges match, and what GeoIP looks up. */
export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

interface Range extends IpAddress {
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;
const IPV4_MAPPED = 0xffffn;

/**
 * Parses `203.0.113.0/24`, `2001:db8::/32` or a single address into one matcher, at boot.
 * Written here rather than over `node:net` (the core imports no transport). IPv4-mapped IPv6
 * addresses (`::ffff:203.0.113.9`, what a dual-stack socket reports) match the IPv4 ranges.
 * Returns the entries it cannot read instead of throwing, so the caller can name the option.
 */
export function parseIpRanges(entries: readonly string[]): { test: (ip: string) => boolean; invalid: string[] } {
  const ranges: Range[] = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const range = typeof entry === 'string' ? parseRange(entry.trim()) : undefined;
    if (range) ranges.push(range);
    else invalid.push(entry);
  }
  return { test: (ip) => inRanges(ranges, ip), invalid };
}

function parseRange(entry: string): Range | undefined {
  const [text, prefixText, extra] = entry.split('/');
  const address = text.includes('%') ? undefined : parseAddress(text);
  if (!address || extra !== undefined) return undefined;
  const bits = BITS[address.version];
  if (prefixText === undefined) return { ...address, prefix: bits };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return undefined;
  return { ...address, prefix: Number(prefixText) };
}

function inRanges(ranges: readonly Range[], ip: string): boolean {
  const parsed = parseAddress(ip.split('%')[0]); // a zone id says which interface, not which host
  if (!parsed) return false;
  const asV4 = parsed.version === 6 ? ipv4Of(parsed) : undefined;
  return ranges.some((r) => contains(r, parsed) || (asV4 !== undefined && contains(r, asV4)));
}

/** The IPv4 address an IPv4-mapped IPv6 one (`::ffff:203.0.113.9`, what a dual-stack socket reports) stands for. */
export function ipv4Of(address: IpAddress): IpAddress | undefined {
  if (address.version === 4) return address;
  return address.value >> 32n === IPV4_MAPPED ? { version: 4, value: address.value & 0xffffffffn } : undefined;
}

/** `203.0.113.9` for an IPv4 address. */
export function dottedIpv4(address: IpAddress): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join('.');
}

function contains(range: Range, address: IpAddress): boolean {
  if (range.version !== address.version) return false;
  const shift = BigInt(BITS[range.version] - range.prefix);
  return range.value >> shift === address.value >> shift;
}

/** An IPv4 or IPv6 address (no zone id, no prefix), or undefined when `text` is not one. */
export function parseAddress(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { version: 4, value };
}

function parseIpv4(text: string): bigint | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0n;
  for (const octet of octets) {
    if (!/^(0|[1-9]\d{0,2})$/.test(octet) || Number(octet) > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let groups = text;
  if (text.includes('.')) {
    // An IPv4 tail (`::ffff:203.0.113.9`) is the last two groups written in decimal.
    const cut = text.lastIndexOf(':');
    const tail = parseIpv4(text.slice(cut + 1));
    if (tail === undefined) return undefined;
    groups = `${text.slice(0, cut + 1)}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`;
  }
  const halves = groups.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? head.length !== 8 : missing < 1) return undefined;
  let value = 0n;
  for (const group of [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest]) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}
