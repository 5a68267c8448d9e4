// A minimal CBOR (RFC 8949) encoder, just enough for the soft authenticator's COSE keys and attestation objects.

/**
 * What the encoder accepts. A `Map` is the only way to get integer map keys (COSE keys need them);
 * a plain object is a map with text keys.
 */
export type CborValue = number | string | Uint8Array | CborValue[] | Map<number | string, CborValue> | CborObject;
export interface CborObject {
  [key: string]: CborValue;
}

const MAJOR = { uint: 0, negint: 1, bytes: 2, text: 3, array: 4, map: 5 } as const;

/** Encodes `value` as definite-length CBOR with the shortest length headers (the form WebAuthn parsers expect). */
export function cborEncode(value: CborValue): Buffer {
  const chunks: Buffer[] = [];
  encodeInto(value, chunks);
  return Buffer.concat(chunks);
}

function encodeInto(value: CborValue, out: Buffer[]): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`cborEncode: only integers are supported, got ${value}`);
    // Negative integers are stored as -1 - n so that -1 encodes as 0 under major type 1.
    out.push(value >= 0 ? header(MAJOR.uint, value) : header(MAJOR.negint, -1 - value));
  } else if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    out.push(header(MAJOR.text, bytes.length), bytes);
  } else if (value instanceof Uint8Array) {
    out.push(header(MAJOR.bytes, value.length), Buffer.from(value));
  } else if (Array.isArray(value)) {
    out.push(header(MAJOR.array, value.length));
    for (const item of value) encodeInto(item, out);
  } else if (value instanceof Map) {
    out.push(header(MAJOR.map, value.size));
    for (const [k, v] of value) {
      encodeInto(k, out);
      encodeInto(v, out);
    }
  } else {
    const entries = Object.entries(value);
    out.push(header(MAJOR.map, entries.length));
    for (const [k, v] of entries) {
      encodeInto(k, out);
      encodeInto(v, out);
    }
  }
}

/** Initial byte plus the shortest argument encoding; 8-byte arguments are never needed for WebAuthn data. */
function header(major: number, argument: number): Buffer {
  const top = major << 5;
  if (argument < 24) return Buffer.from([top | argument]);
  if (argument <= 0xff) return Buffer.from([top | 24, argument]);
  if (argument <= 0xffff) {
    const b = Buffer.alloc(3);
    b[0] = top | 25;
    b.writeUInt16BE(argument, 1);
    return b;
  }
  if (argument <= 0xffffffff) {
    const b = Buffer.alloc(5);
    b[0] = top | 26;
    b.writeUInt32BE(argument, 1);
    return b;
  }
  throw new RangeError(`cborEncode: argument ${argument} needs an 8-byte header, which this encoder does not write`);
}
