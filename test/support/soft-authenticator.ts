// A real software WebAuthn authenticator (and the browser side of it): genuine keys, authData and signatures for tests.
import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { cborEncode, type CborObject, type CborValue } from './cbor-encode';

export type SoftAlg = 'ES256' | 'RS256' | 'EdDSA';

export interface SoftAuthenticatorOptions {
  alg?: SoftAlg;
  /** 'packed' = self attestation: alg + sig over authData || clientDataHash with the credential's own key, no x5c. */
  attestation?: 'none' | 'packed';
  aaguid?: string;
  /** 'zero' models an authenticator that keeps no signature counter (always reports 0). */
  counter?: 'increment' | 'zero';
  backupEligible?: boolean;
  backedUp?: boolean;
  userVerification?: boolean;
}

/**
 * `rpId` forges only the rpIdHash bytes; the credential is still filed under the rp the options name.
 * `credentialId` (base64url) claims that ID, in authData and id/rawId, for a credential with a fresh key:
 * an attacker registering someone else's credential ID under their own key.
 */
export interface RegisterOverrides {
  origin?: string;
  rpId?: string;
  challenge?: string;
  userPresent?: boolean;
  userVerified?: boolean;
  type?: string;
  credentialId?: string;
}

/**
 * `rpId` forges only the rpIdHash (the credential is still looked up by the request's rp); `counter` is sent
 * and becomes the credential's stored counter; `credentialId` is reported as id/rawId while the real key signs;
 * `userHandle: null` omits it.
 */
export interface AssertOverrides {
  origin?: string;
  rpId?: string;
  challenge?: string;
  userPresent?: boolean;
  userVerified?: boolean;
  counter?: number;
  credentialId?: string;
  type?: string;
  userHandle?: string | null;
  tamperSignature?: boolean;
}

interface SoftCredential {
  id: Buffer;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
}

const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;
const COSE_ALG: Record<SoftAlg, number> = { ES256: -7, RS256: -257, EdDSA: -8 };

/** An authenticator error carrying the DOMException name a browser would reject with. */
export class SoftAuthenticatorError extends Error {
  constructor(
    override readonly name: 'InvalidStateError' | 'NotAllowedError' | 'NotSupportedError',
    message: string,
  ) {
    super(message);
  }
}

export class SoftAuthenticator {
  private readonly alg: SoftAlg;
  private readonly attestation: 'none' | 'packed';
  private readonly aaguid: Buffer;
  private readonly counterMode: 'increment' | 'zero';
  private readonly backupEligible: boolean;
  private readonly backedUp: boolean;
  private readonly userVerification: boolean;
  private credentials: SoftCredential[] = [];

  constructor(private readonly options: SoftAuthenticatorOptions = {}) {
    this.alg = options.alg ?? 'ES256';
    this.attestation = options.attestation ?? 'none';
    this.aaguid = parseAaguid(options.aaguid ?? '00000000-0000-0000-0000-000000000000');
    this.counterMode = options.counter ?? 'increment';
    this.backupEligible = options.backupEligible ?? false;
    this.backedUp = options.backedUp ?? false;
    this.userVerification = options.userVerification ?? true;
  }

  get credentialIds(): string[] {
    return this.credentials.map((c) => c.id.toString('base64url'));
  }

  register(options: any, origin: string, overrides: RegisterOverrides = {}): RegistrationResponseJSON {
    const rpId: string = options.rp?.id ?? new URL(origin).hostname;
    const excluded = new Set<string>((options.excludeCredentials ?? []).map((c: { id: string }) => c.id));
    if (this.credentials.some((c) => c.rpId === rpId && excluded.has(c.id.toString('base64url')))) {
      throw new SoftAuthenticatorError('InvalidStateError', 'The authenticator already holds an excluded credential');
    }
    const params: { alg: number }[] = options.pubKeyCredParams ?? [];
    if (params.length > 0 && !params.some((p) => p.alg === COSE_ALG[this.alg])) {
      throw new SoftAuthenticatorError('NotSupportedError', `The server does not accept ${this.alg}`);
    }

    const { privateKey, publicKey } = generateKey(this.alg);
    const credential: SoftCredential = {
      id: overrides.credentialId === undefined ? randomBytes(32) : Buffer.from(overrides.credentialId, 'base64url'),
      rpId,
      userHandle: options.user.id,
      privateKey,
      counter: 0,
    };
    const coseKey = coseEncode(this.alg, publicKey);
    const credIdLen = Buffer.alloc(2);
    credIdLen.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([
      this.authDataHead(overrides.rpId ?? rpId, overrides, FLAG.AT, credential.counter),
      this.aaguid,
      credIdLen,
      credential.id,
      coseKey,
    ]);
    const clientDataJSON = clientData(
      overrides.type ?? 'webauthn.create',
      overrides.challenge ?? options.challenge,
      overrides.origin ?? origin,
    );
    const attStmt: CborObject =
      this.attestation === 'packed'
        ? { alg: COSE_ALG[this.alg], sig: signWith(this.alg, privateKey, authData, clientDataJSON) }
        : {};
    const attestationObject = cborEncode({ fmt: this.attestation, attStmt, authData });
    this.credentials.push(credential);

    const id = credential.id.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        transports: ['internal'],
        publicKeyAlgorithm: COSE_ALG[this.alg],
        publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64url'),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  assert(options: any, origin: string, overrides: AssertOverrides = {}): AuthenticationResponseJSON {
    const rpId: string = options.rpId ?? new URL(origin).hostname;
    const allowed = new Set<string>((options.allowCredentials ?? []).map((c: { id: string }) => c.id));
    const credential = this.credentials.find(
      (c) => c.rpId === rpId && (allowed.size === 0 || allowed.has(c.id.toString('base64url'))),
    );
    if (!credential) throw new SoftAuthenticatorError('NotAllowedError', `No credential for rp "${rpId}"`);

    // The counter moves before signing, as on a real authenticator; a forced value is kept like a real one would be.
    if (overrides.counter !== undefined) credential.counter = overrides.counter;
    else if (this.counterMode === 'increment') credential.counter += 1;

    const authData = this.authDataHead(overrides.rpId ?? rpId, overrides, 0, credential.counter);
    const clientDataJSON = clientData(
      overrides.type ?? 'webauthn.get',
      overrides.challenge ?? options.challenge,
      overrides.origin ?? origin,
    );
    const signature = signWith(this.alg, credential.privateKey, authData, clientDataJSON);
    if (overrides.tamperSignature) signature[signature.length - 1] ^= 0x01;

    const id = overrides.credentialId ?? credential.id.toString('base64url');
    const userHandle = overrides.userHandle === undefined ? credential.userHandle : overrides.userHandle;
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        ...(userHandle === null ? {} : { userHandle }),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  clone(): SoftAuthenticator {
    const twin = new SoftAuthenticator(this.options);
    // KeyObjects are immutable, so sharing them is a true copy of the key; counters must diverge independently.
    twin.credentials = this.credentials.map((c) => ({ ...c, id: Buffer.from(c.id) }));
    return twin;
  }

  /** rpIdHash | flags | signCount: the part of authenticator data every ceremony has. */
  private authDataHead(rpId: string, overrides: RegisterOverrides, extraFlags: number, counter: number): Buffer {
    let flags = extraFlags;
    if (overrides.userPresent ?? true) flags |= FLAG.UP;
    if (overrides.userVerified ?? this.userVerification) flags |= FLAG.UV;
    if (this.backupEligible) flags |= FLAG.BE;
    if (this.backedUp) flags |= FLAG.BS;
    const head = Buffer.alloc(37);
    sha256(Buffer.from(rpId, 'utf8')).copy(head, 0);
    head[32] = flags;
    head.writeUInt32BE(counter, 33);
    return head;
  }
}

function clientData(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Both assertions and packed self attestation sign authData || sha256(clientDataJSON). */
function signWith(alg: SoftAlg, key: KeyObject, authData: Buffer, clientDataJSON: Buffer): Buffer {
  const data = Buffer.concat([authData, sha256(clientDataJSON)]);
  // Node signs ECDSA as DER and RSA as PKCS#1 v1.5 by default, which is what WebAuthn wants; Ed25519 takes no digest.
  return alg === 'EdDSA' ? sign(null, data, key) : sign('sha256', data, key);
}

function generateKey(alg: SoftAlg): { privateKey: KeyObject; publicKey: KeyObject } {
  if (alg === 'ES256') return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  if (alg === 'RS256') return generateKeyPairSync('rsa', { modulusLength: 2048 });
  return generateKeyPairSync('ed25519');
}

/** COSE_Key (RFC 9053) with integer labels, built from the JWK export so coordinates keep their fixed width. */
function coseEncode(alg: SoftAlg, publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  const b = (v: string | undefined): Buffer => Buffer.from(v ?? '', 'base64url');
  const cose = (kty: number): Map<number, CborValue> => new Map<number, CborValue>().set(1, kty).set(3, COSE_ALG[alg]);
  // Labels in CTAP2 canonical order (1, 3, -1, -2, -3) as hardware writes them. kty: 2 EC2, 3 RSA, 1 OKP.
  if (alg === 'ES256') return cborEncode(cose(2).set(-1, 1).set(-2, b(jwk.x)).set(-3, b(jwk.y)));
  if (alg === 'RS256') return cborEncode(cose(3).set(-1, b(jwk.n)).set(-2, b(jwk.e)));
  return cborEncode(cose(1).set(-1, 6).set(-2, b(jwk.x)));
}

function parseAaguid(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`Not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}
