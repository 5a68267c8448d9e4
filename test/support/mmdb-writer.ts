/**
 * A minimal MaxMind DB (format 2.0) writer, so the GeoIP tests read a real `.mmdb` through the
 * real `maxmind` reader without shipping or downloading MaxMind's data. It writes what the
 * reader in node_modules/mmdb-lib expects: a binary search tree (record size 24, 28 or 32;
 * IPv4 alone, or IPv6 with IPv4 at ::/96 and aliased at ::ffff:0:0/96 as MaxMind does), 16
 * zero bytes, the data section, then "\xAB\xCD\xEFMaxMind.com" and the metadata map.
 */
import { isIP } from 'node:net';

/** A double, where a whole number would otherwise be written as an integer (latitude 60.0). */
export class MmdbDouble {
  constructor(readonly value: number) {}
}
export const mmdbDouble = (value: number) => new MmdbDouble(value);

export type MmdbValue = string | number | bigint | boolean | MmdbDouble | MmdbValue[] | { [key: string]: MmdbValue };

export interface MmdbNetwork {
  /** CIDR, e.g. `81.2.69.0/24` or `2001:218::/32`. The most specific network wins. */
  network: string;
  data: MmdbValue;
}

export interface MmdbWriterOptions {
  networks: MmdbNetwork[];
  /** @default 6 */
  ipVersion?: 4 | 6;
  /** @default 28 */
  recordSize?: 24 | 28 | 32;
  /** @default 'GeoLite2-City' */
  databaseType?: string;
  /** @default ['en'] */
  languages?: string[];
  /** Seconds since the epoch. @default 1764547200 */
  buildEpoch?: number;
  /** @default { en: 'nestjs-mfa test fixture' } */
  description?: Record<string, string>;
}

const METADATA_MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com')]);
const enum Type {
  String = 2,
  Double = 3,
  Uint16 = 5,
  Uint32 = 6,
  Map = 7,
  Int32 = 8,
  Uint64 = 9,
  Array = 11,
  Boolean = 14,
}

/** The bytes of one `.mmdb` file holding `networks`. */
export function writeMmdb(options: MmdbWriterOptions): Buffer {
  const ipVersion = options.ipVersion ?? 6;
  const recordSize = options.recordSize ?? 28;
  const data = new DataSection();
  const tree = new SearchTree();
  // Shorter prefixes first, so a more specific network later splits and overrides them.
  const networks = options.networks.map((n) => ({ bits: networkBits(n.network, ipVersion), value: n.data }));
  networks.sort((a, b) => a.bits.length - b.bits.length);
  for (const { bits, value } of networks) tree.insert(bits, data.add(value));
  if (ipVersion === 6) tree.alias(bitsOf([...Array(10).fill(0), 0xff, 0xff], 96), Array(96).fill(0));

  const { nodeCount, bytes: treeBytes } = tree.serialize(recordSize);
  const metadata = encode({
    node_count: nodeCount,
    record_size: recordSize,
    ip_version: ipVersion,
    database_type: options.databaseType ?? 'GeoLite2-City',
    languages: options.languages ?? ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: BigInt(options.buildEpoch ?? 1_764_547_200),
    description: options.description ?? { en: 'nestjs-mfa test fixture' },
  });
  return Buffer.concat([treeBytes, Buffer.alloc(16), data.bytes(), METADATA_MARKER, metadata]);
}

/** Each distinct value is written once; the tree's records point at its offset. */
class DataSection {
  private readonly chunks: Buffer[] = [];
  private readonly offsets = new Map<string, number>();
  private size = 0;

  add(value: MmdbValue): number {
    const key = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    const known = this.offsets.get(key);
    if (known !== undefined) return known;
    const bytes = encode(value);
    this.offsets.set(key, this.size);
    this.chunks.push(bytes);
    this.size += bytes.length;
    return this.size - bytes.length;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

type TreeRecord = Node | { data: number } | undefined;
interface Node {
  children: [TreeRecord, TreeRecord];
}

class SearchTree {
  private readonly root: Node = { children: [undefined, undefined] };

  insert(bits: number[], dataOffset: number): void {
    let node = this.root;
    for (let i = 0; i < bits.length - 1; i++) node = this.descend(node, bits[i]);
    node.children[bits[bits.length - 1]] = { data: dataOffset };
  }

  /** Points the record at `from` to the node at `to` (MaxMind's IPv4-mapped alias). */
  alias(from: number[], to: number[]): void {
    let target: Node = this.root;
    for (const bit of to) target = this.descend(target, bit);
    let node = this.root;
    for (let i = 0; i < from.length - 1; i++) node = this.descend(node, from[i]);
    node.children[from[from.length - 1]] = target;
  }

  /** Numbers nodes breadth-first (the root is 0) and writes two records per node. */
  serialize(recordSize: 24 | 28 | 32): { nodeCount: number; bytes: Buffer } {
    const order: Node[] = [this.root];
    const ids = new Map<Node, number>([[this.root, 0]]);
    for (let i = 0; i < order.length; i++) {
      for (const child of order[i].children) {
        if (child && 'children' in child && !ids.has(child)) ids.set(child, order.push(child) - 1);
      }
    }
    const nodeCount = order.length;
    const value = (r: TreeRecord) =>
      r === undefined ? nodeCount : 'data' in r ? nodeCount + 16 + r.data : (ids.get(r) as number);
    const nodeBytes = recordSize / 4;
    const bytes = Buffer.alloc(nodeCount * nodeBytes);
    order.forEach((node, i) =>
      writeNode(bytes, i * nodeBytes, recordSize, value(node.children[0]), value(node.children[1])),
    );
    return { nodeCount, bytes };
  }

  private descend(node: Node, bit: number): Node {
    const child = node.children[bit];
    if (child && 'children' in child) return child;
    // A network already ends here: both halves keep its data until something more specific lands.
    const next: Node = { children: [child, child] };
    node.children[bit] = next;
    return next;
  }
}

function writeNode(out: Buffer, at: number, recordSize: 24 | 28 | 32, left: number, right: number): void {
  if (Math.max(left, right) >= 2 ** recordSize)
    throw new Error(`record ${Math.max(left, right)} overflows ${recordSize} bits`);
  if (recordSize === 24) {
    out.writeUIntBE(left, at, 3);
    out.writeUIntBE(right, at + 3, 3);
  } else if (recordSize === 32) {
    out.writeUInt32BE(left, at);
    out.writeUInt32BE(right, at + 4);
  } else {
    // 28 bits: the middle byte holds the top nibble of each record, left's first.
    out.writeUIntBE(left & 0xffffff, at, 3);
    out[at + 3] = ((left >>> 24) << 4) | (right >>> 24);
    out.writeUIntBE(right & 0xffffff, at + 4, 3);
  }
}

/** One field of the data section: a control byte (type, size), maybe an extended type and size bytes, the payload. */
function encode(value: MmdbValue): Buffer {
  if (typeof value === 'string') return field(Type.String, Buffer.from(value, 'utf8'));
  if (typeof value === 'boolean') return control(Type.Boolean, value ? 1 : 0);
  if (typeof value === 'bigint') return field(Type.Uint64, unsignedBytes(value));
  if (value instanceof MmdbDouble) return field(Type.Double, doubleBytes(value.value));
  if (Array.isArray(value)) return Buffer.concat([control(Type.Array, value.length), ...value.map(encode)]);
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return Buffer.concat([control(Type.Map, entries.length), ...entries.flatMap(([k, v]) => [encode(k), encode(v)])]);
  }
  if (!Number.isInteger(value)) return field(Type.Double, doubleBytes(value));
  if (value < 0) {
    if (value < -(2 ** 31)) throw new Error(`${value} does not fit an int32`);
    const bytes = Buffer.alloc(4);
    bytes.writeInt32BE(value); // the reader takes fewer than 4 bytes as unsigned: negatives use all 4
    return field(Type.Int32, bytes);
  }
  if (value < 2 ** 16) return field(Type.Uint16, unsignedBytes(BigInt(value)));
  if (value < 2 ** 32) return field(Type.Uint32, unsignedBytes(BigInt(value)));
  return field(Type.Uint64, unsignedBytes(BigInt(value)));
}

function field(type: Type, payload: Buffer): Buffer {
  return Buffer.concat([control(type, payload.length), payload]);
}

/** Size is a byte count, or the number of entries of a map or array, or a boolean's value. */
function control(type: Type, size: number): Buffer {
  // Types above 7 are "extended": type bits 0 in the control byte, then a byte holding type - 7.
  const typeBytes = type <= 7 ? [type << 5] : [0, type - 7];
  let sizeBits: number;
  let sizeBytes: number[];
  if (size < 29) [sizeBits, sizeBytes] = [size, []];
  else if (size < 285) [sizeBits, sizeBytes] = [29, [size - 29]];
  else if (size < 65_821) [sizeBits, sizeBytes] = [30, [(size - 285) >> 8, (size - 285) & 0xff]];
  else [sizeBits, sizeBytes] = [31, [(size - 65_821) >> 16, ((size - 65_821) >> 8) & 0xff, (size - 65_821) & 0xff]];
  typeBytes[0] |= sizeBits;
  return Buffer.from([...typeBytes, ...sizeBytes]);
}

/** Big-endian, no leading zero bytes (zero is no bytes at all). */
function unsignedBytes(value: bigint): Buffer {
  const out: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) out.unshift(Number(v & 0xffn));
  return Buffer.from(out);
}

function doubleBytes(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleBE(value);
  return bytes;
}

/** The network's leading bits in the tree: IPv4 in an IPv6 tree sits under ::/96. */
function networkBits(cidr: string, ipVersion: 4 | 6): number[] {
  const [address, length] = cidr.split('/');
  const family = isIP(address);
  const prefix = Number(length ?? (family === 4 ? 32 : 128));
  if (family === 0 || !Number.isInteger(prefix)) throw new Error(`not a network: ${cidr}`);
  if (family === 6 && ipVersion === 4) throw new Error(`${cidr} does not fit an IPv4 database`);
  if (prefix < 1 || prefix > (family === 4 ? 32 : 128)) throw new Error(`bad prefix length: ${cidr}`);
  const bytes = family === 4 ? address.split('.').map(Number) : ipv6Bytes(address);
  const offset = family === 4 && ipVersion === 6 ? 96 : 0;
  return [...Array(offset).fill(0), ...bitsOf(bytes, prefix)];
}

function bitsOf(bytes: number[], count: number): number[] {
  return Array.from({ length: count }, (_, i) => (bytes[i >> 3] >> (7 - (i & 7))) & 1);
}

function ipv6Bytes(address: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = dotted
    ? address.slice(0, dotted.index) +
      (((+dotted[1] << 8) | +dotted[2]).toString(16) + ':' + ((+dotted[3] << 8) | +dotted[4]).toString(16))
    : address;
  const [head, tail] = text.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}
