import { MfaConfigurationError } from '../../errors/mfa-configuration.error';
import { resolveWebAuthn, WebAuthnOptions } from './webauthn.options';

const GOOD: WebAuthnOptions = { rpId: 'example.com', origins: ['https://example.com'] };
const resolve = (patch: Partial<WebAuthnOptions>) => () => resolveWebAuthn({ ...GOOD, ...patch }, 'Acme');

describe('resolveWebAuthn', () => {
  it('is off without options, and fills the defaults otherwise', () => {
    expect(resolveWebAuthn(undefined, 'Acme')).toBeNull();
    expect(resolveWebAuthn(GOOD, 'Acme')).toEqual({
      rpId: 'example.com',
      rpName: 'Acme',
      origins: ['https://example.com'],
      userVerification: 'preferred',
      timeoutMs: 300_000,
      attestation: 'none',
      allowedAaguids: null,
      authenticatorNames: {},
    });
  });

  it('accepts subdomain origins, http on localhost, and lower-cases RP ID, AAGUIDs and names', () => {
    const resolved = resolveWebAuthn(
      {
        rpId: 'Example.COM',
        origins: ['https://app.example.com/', 'https://example.com:8443'],
        attestation: 'direct',
        allowedAaguids: ['CB69481E-8FF7-4039-93EC-0A2729A154A8'],
        authenticatorNames: { 'AAAAAAAA-0000-4000-8000-000000000000': 'Corp key' },
      },
      'Acme',
    )!;
    expect(resolved.rpId).toBe('example.com');
    expect(resolved.origins).toEqual(['https://app.example.com', 'https://example.com:8443']);
    expect(resolved.allowedAaguids).toEqual(['cb69481e-8ff7-4039-93ec-0a2729a154a8']);
    expect(resolved.authenticatorNames).toEqual({ 'aaaaaaaa-0000-4000-8000-000000000000': 'Corp key' });
    expect(resolveWebAuthn({ rpId: 'localhost', origins: ['http://localhost:3000'] }, 'Acme')!.origins).toEqual([
      'http://localhost:3000',
    ]);
  });

  // Each message must tell the developer what to write instead, not only what is wrong.
  it.each<[string, Partial<WebAuthnOptions>, RegExp]>([
    ['an RP ID with a scheme', { rpId: 'https://example.com' }, /rpId must be a host name.*e\.g\. 'example\.com'/],
    ['an RP ID with a port', { rpId: 'example.com:443' }, /rpId must be a host name without scheme or port/],
    ['an RP ID with a leading dot', { rpId: '.example.com' }, /rpId must be a host name/],
    ['no origins', { origins: [] }, /origins must list where your pages run, e\.g\. \['https:\/\/example\.com'\]/],
    [
      'origins not a list',
      { origins: 'https://example.com' as never },
      /origins must list.*\['https:\/\/example\.com'\]/,
    ],
    [
      'an origin that is not a URL',
      { origins: ['example.com'] },
      /'example\.com' is not a URL; write it like 'https:\/\/example\.com'/,
    ],
    [
      'an origin not under the RP ID',
      { origins: ['https://evil.test'] },
      /'https:\/\/evil\.test' is not on the RP ID 'example\.com': use rpId 'evil\.test' or a parent domain/,
    ],
    [
      'an origin that only ends like the RP ID',
      { origins: ['https://notexample.com'] },
      /is not on the RP ID 'example\.com'/,
    ],
    [
      'plain http off localhost',
      { origins: ['http://example.com'] },
      /'http:\/\/example\.com' must use https \(browsers allow plain http for localhost only\)/,
    ],
    [
      'an origin with a path',
      { origins: ['https://example.com/login'] },
      /write 'https:\/\/example\.com' \(scheme, host and port only\), not 'https:\/\/example\.com\/login'/,
    ],
    ['a timeout under 30 s', { timeout: 5 }, /timeout must be a whole number of seconds from 30 to 600 \(got 5\)/],
    ['a timeout over 600 s', { timeout: 3600 }, /from 30 to 600 \(got 3600\)/],
    ['a fractional timeout', { timeout: 60.5 }, /whole number of seconds/],
    ['a timeout in milliseconds by mistake', { timeout: 300_000 }, /from 30 to 600 \(got 300000\)/],
    [
      'an unknown userVerification',
      { userVerification: 'always' as never },
      /'required', 'preferred' or 'discouraged'/,
    ],
    ['an unknown attestation', { attestation: 'indirect' as never }, /attestation must be 'none' or 'direct'/],
    [
      'allowedAaguids without direct attestation',
      { allowedAaguids: ['cb69481e-8ff7-4039-93ec-0a2729a154a8'] },
      /allowedAaguids needs attestation: 'direct'/,
    ],
    [
      'a malformed AAGUID',
      { attestation: 'direct', allowedAaguids: ['yubikey-5'] },
      /allowedAaguids: 'yubikey-5' is not an AAGUID \(a UUID\)/,
    ],
    ['an authenticatorNames key that is no AAGUID', { authenticatorNames: { yubikey: 'Key' } }, /not an AAGUID/],
    [
      'an authenticatorNames value too long for a label',
      { authenticatorNames: { 'cb69481e-8ff7-4039-93ec-0a2729a154a8': 'k'.repeat(65) } },
      /1 to 64 characters/,
    ],
  ])('refuses %s at boot, saying how to fix it', (_name, patch, message) => {
    expect(resolve(patch)).toThrow(MfaConfigurationError);
    expect(resolve(patch)).toThrow(/^webauthn: /);
    expect(resolve(patch)).toThrow(message);
  });
});
