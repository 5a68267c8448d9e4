import { createHash, randomUUID } from 'node:crypto';
import { AuditTrail } from '../../audit/audit-trail';
import { auditingKeyUnavailable } from '../../errors/encryption-key-unavailable.error';
import type { Reauthentication } from '../../enforcement/reauthentication';
import { optionalLabel } from '../../enrollment/factor-label';
import type { FactorView } from '../../enrollment/factor-view';
import type { PendingEnrollments } from '../../enrollment/pending-enrollments';
import { MfaError } from '../../errors/mfa.error';
import type { AttemptLimiter } from '../../lockout/attempt-limiter';
import type { ResolvedMfaContext } from '../../options/mfa-context';
import type { RequestContext } from '../../policy/request-context';
import type { EnrollmentRecord, PasskeyDetails } from '../../ports/mfa-store.port';
import type { MfaSubject } from '../../subject';
import { PasskeyChallenges } from './passkey-challenges';
import { openPasskey, sealPasskey } from './passkey-credential';
import {
  challengeOf,
  PublicKeyCredentialCreationOptionsJSON,
  RegisteredCredential,
  RegistrationResponseJSON,
  WebAuthnCeremony,
} from './webauthn.ceremony';

type Deps = Pick<ResolvedMfaContext, 'store' | 'clock' | 'keyRing' | 'webauthn'>;

/** What registering a passkey starts with: the options for `navigator.credentials.create()`. */
export interface PasskeyEnrollmentStart {
  enrollmentId: string;
  options: PublicKeyCredentialCreationOptionsJSON;
  expiresAt: string;
}

/** The passkey's own ID, hashed, is the one index that keeps a credential to one user. */
export const credentialKeyOf = (credentialId: string): string =>
  createHash('sha256').update(Buffer.from(credentialId, 'base64url')).digest('hex');

/**
 * Registering a passkey: the same enrollment model as every factor (a pending enrollment,
 * a fresh step-up when the user has a factor, confirmation, then the finish every factor
 * shares). The creation options' challenge is bound to this pending enrollment only.
 */
export class PasskeyEnrollment {
  constructor(
    private readonly ctx: Deps,
    private readonly audit: AuditTrail,
    private readonly limiter: AttemptLimiter,
    private readonly reauth: Reauthentication,
    private readonly pending: PendingEnrollments,
    private readonly challenges: PasskeyChallenges,
  ) {}

  async start(subject: MfaSubject, rawLabel?: string, context: RequestContext = {}): Promise<PasskeyEnrollmentStart> {
    const ceremony = this.ceremony();
    const label = optionalLabel(rawLabel);
    const enrollments = await this.reauth.requireIfEnrolled(subject, context, true);
    const now = this.ctx.clock.now();
    await this.pending.prune(subject.userId, enrollments, 'webauthn', now);
    const id = randomUUID();
    await this.ctx.store.createEnrollment({
      id,
      userId: subject.userId,
      type: 'webauthn',
      status: 'pending',
      label,
      sealedSecret: '',
      keyId: this.ctx.keyRing.currentKeyId,
      profile: null,
      maskedTarget: null,
      lastStep: null,
      createdAt: now,
      confirmedAt: null,
      lastUsedAt: null,
      passkey: null,
    });
    const options = await ceremony.creationOptions({
      userHandle: this.userHandle(subject.userId),
      userName: subject.accountName ?? subject.userId,
      exclude: this.credentialsOf(enrollments),
    });
    const expiresAt = await this.challenges.issue(
      subject.userId,
      { enroll: id },
      options.challenge,
      now,
      ceremony.config.timeoutMs,
    );
    this.audit.record(subject, { type: 'enrollment.started', severity: 'info', channel: 'webauthn', enrollmentId: id });
    return { enrollmentId: id, options, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Any failure (wrong challenge, origin, RP ID, attestation, a credential already registered) is INVALID_CODE, counted. */
  async confirm(
    subject: MfaSubject,
    enrollmentId: string,
    response: RegistrationResponseJSON,
    context: RequestContext = {},
  ): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    this.ceremony();
    const now = this.ctx.clock.now();
    const enrollment = await this.pending.find(subject, 'webauthn', enrollmentId, now);
    // Issued by an instance with a key this one lacks: a 503 before the attempt is counted.
    const issued = await this.challenges.live(subject.userId, { enroll: enrollment.id }, now);
    if (issued)
      auditingKeyUnavailable(this.audit, subject, 'webauthn', enrollment.id, () =>
        this.ctx.keyRing.requireDigestKey(issued.codeDigest),
      );
    let details: PasskeyDetails | null = null;
    await this.limiter.attempt(subject, 'webauthn', async () => {
      details = await this.register(subject, enrollment, response, now);
      return details ? true : null;
    });
    return this.pending.finish(subject, { ...enrollment, passkey: details }, now, context);
  }

  private async register(
    subject: MfaSubject,
    enrollment: EnrollmentRecord,
    response: RegistrationResponseJSON,
    now: number,
  ): Promise<PasskeyDetails | null> {
    const ceremony = this.ceremony();
    const challenge = challengeOf(response);
    const live = challenge && (await this.challenges.match(subject.userId, { enroll: enrollment.id }, challenge, now));
    if (!live) return null;
    const credential = await ceremony.verifyRegistration(response, challenge!);
    if (!credential) return null;
    const refusal = this.attestationRefusal(credential);
    if (refusal) {
      this.refused(subject, enrollment, 'webauthn.attestation_refused', refusal);
      return null;
    }
    if (!(await this.ctx.store.consumeOtpCode(subject.userId, live.id, now))) return null;
    const details: PasskeyDetails = {
      credentialKey: credentialKeyOf(credential.id),
      aaguid: credential.aaguid,
      backupEligible: credential.backupEligible,
      backedUp: credential.backedUp,
      transports: transportsOf(response),
      attestation: credential.attestation,
    };
    const sealedSecret = sealPasskey(
      this.ctx.keyRing,
      { id: credential.id, publicKey: credential.publicKey, transports: details.transports },
      subject.userId,
      enrollment.id,
    );
    const outcome = await this.ctx.store.activatePasskey(
      subject.userId,
      enrollment.id,
      { sealedSecret, keyId: this.ctx.keyRing.currentKeyId, details, signCount: credential.signCount },
      now,
    );
    if (outcome === 'credential_taken')
      this.refused(subject, enrollment, 'webauthn.credential_taken', 'credential ID already registered');
    return outcome === 'activated' ? details : null;
  }

  private attestationRefusal(credential: RegisteredCredential): string | null {
    const { attestation, allowedAaguids } = this.ceremony().config;
    if (attestation !== 'direct') return null;
    if (credential.attestation === 'none') return 'no attestation statement';
    if (allowedAaguids && !allowedAaguids.includes(credential.aaguid)) return `AAGUID ${credential.aaguid} not allowed`;
    return null;
  }

  private refused(subject: MfaSubject, enrollment: EnrollmentRecord, type: string, reason: string): void {
    this.audit.record(subject, {
      type,
      severity: 'high',
      channel: 'webauthn',
      outcome: 'refused',
      enrollmentId: enrollment.id,
      reason,
    });
  }

  /** Already registered passkeys, so the authenticator refuses to make a second credential for this account. */
  private credentialsOf(enrollments: EnrollmentRecord[]): { id: string; transports: string[] }[] {
    return enrollments
      .filter((e) => e.type === 'webauthn' && e.status === 'active')
      .map((e) => openPasskey(this.ctx.keyRing, e))
      .filter((c) => c !== null)
      .map((c) => ({ id: c.id, transports: c.transports }));
  }

  /**
   * WebAuthn's user handle must not be personal data (§14.6.1): a keyed digest of the user id,
   * so the handle alone names no one. It is stable while the current key is; after a key
   * rotation a new registration gets a new handle, which only means one authenticator may
   * keep two credentials for the account.
   */
  private userHandle(userId: string): Uint8Array {
    const mac = this.ctx.keyRing.digest(`webauthn-user-handle|${userId}`).split('.').pop()!;
    return new Uint8Array(Buffer.from(mac, 'base64url'));
  }

  private ceremony(): WebAuthnCeremony {
    if (!this.ctx.webauthn) throw new MfaError('FACTOR_UNAVAILABLE', { method: 'webauthn' });
    return this.ctx.webauthn;
  }
}

const TRANSPORTS = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

function transportsOf(response: RegistrationResponseJSON): string[] {
  const listed = response?.response?.transports;
  return Array.isArray(listed) ? listed.filter((t) => TRANSPORTS.has(t)).slice(0, 7) : [];
}
