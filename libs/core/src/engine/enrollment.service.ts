import { randomUUID } from 'node:crypto';
import * as QRCode from 'qrcode';
import { AuditTrail } from '../audit/audit-trail';
import { MfaError } from '../errors/mfa.error';
import { MfaSubject } from '../subject';
import { toBase32 } from '../factors/base32';
import { MfaTarget, RequestContext } from '../policy/request-context';
import { AttemptLimiter } from './attempt-limiter';
import { ChallengeService } from './challenge.service';
import { FactorVerifier } from './factor-verifier';
import { ResolvedMfaContext } from './mfa-options';
import { totpSecretAad } from './secret-aad';

/** Shown once, at enrollment start: the only response that ever carries the seed. */
export interface TotpEnrollmentStart {
  enrollmentId: string;
  secret: string;
  otpauthUri: string;
  qrSvg: string;
  expiresAt: string;
}

export interface FactorView {
  id: string;
  type: 'totp';
  label: string | null;
  status: 'pending' | 'active';
  createdAt: string;
  confirmedAt: string | null;
  lastUsedAt: string | null;
}

export interface EnrollmentSummary {
  factors: FactorView[];
  backupCodes: { remaining: number };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Binding and managing factors. Only a user with no factor may enroll on password alone. */
export class EnrollmentService {
  constructor(
    private readonly ctx: ResolvedMfaContext,
    private readonly audit: AuditTrail,
    private readonly limiter: AttemptLimiter,
    private readonly verifier: FactorVerifier,
    private readonly challenges: ChallengeService,
  ) {}

  async startTotp(subject: MfaSubject, label?: string, context: RequestContext = {}): Promise<TotpEnrollmentStart> {
    await this.requireReauthIfEnrolled(subject, context);
    const now = this.ctx.clock.now();
    await this.ctx.store.deletePendingEnrollments(subject.userId);
    const id = randomUUID();
    const secret = this.ctx.totp.createSecret();
    const sealedSecret = this.ctx.keyRing.seal(secret, totpSecretAad(subject.userId, id));
    const profile = this.ctx.totpProfile;
    await this.ctx.store.createEnrollment({
      id, userId: subject.userId, type: 'totp', status: 'pending', label: label ?? null, sealedSecret,
      keyId: this.ctx.keyRing.currentKeyId, profile, lastStep: null, createdAt: now, confirmedAt: null, lastUsedAt: null,
    });
    const otpauthUri = this.ctx.totp.otpauthUri(secret, this.ctx.issuer, subject.accountName ?? subject.userId, profile);
    const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    const manualSecret = toBase32(secret);
    secret.fill(0);
    this.audit.record(subject, { type: 'enrollment.started', severity: 'info', channel: 'totp', enrollmentId: id });
    return { enrollmentId: id, secret: manualSecret, otpauthUri, qrSvg, expiresAt: new Date(now + this.ctx.enrollmentTtlMs).toISOString() };
  }

  /** Activates the enrollment with a valid code; the first factor also gets its backup codes, once. */
  async confirmTotp(subject: MfaSubject, enrollmentId: string, code: string, context: RequestContext = {}): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    const now = this.ctx.clock.now();
    const enrollment = await this.ctx.store.findEnrollment(subject.userId, enrollmentId);
    if (!enrollment || enrollment.status !== 'pending' || enrollment.createdAt + this.ctx.enrollmentTtlMs <= now) {
      throw new MfaError('ENROLLMENT_NOT_FOUND');
    }
    await this.limiter.attempt(subject, 'totp', async () =>
      (await this.verifier.spendTotp(subject, enrollment, code, now, true)) ? true : null,
    );
    await this.challenges.recordVerification(subject, 'totp', now, context);
    this.audit.record(subject, { type: 'enrollment.confirmed', severity: 'warning', channel: 'totp', outcome: 'success', enrollmentId });
    const hasCodes = (await this.ctx.store.listUnusedBackupCodes(subject.userId)).length > 0;
    const backupCodes = hasCodes ? undefined : await this.issueBackupCodes(subject);
    const factor = toView({ ...enrollment, status: 'active', confirmedAt: now, lastUsedAt: now });
    return backupCodes ? { factor, backupCodes } : { factor };
  }

  async list(subject: MfaSubject): Promise<EnrollmentSummary> {
    const [enrollments, codes] = await Promise.all([
      this.ctx.store.listEnrollments(subject.userId),
      this.ctx.store.listUnusedBackupCodes(subject.userId),
    ]);
    return { factors: enrollments.filter((e) => e.status === 'active').map(toView), backupCodes: { remaining: codes.length } };
  }

  async regenerateBackupCodes(subject: MfaSubject, context: RequestContext = {}): Promise<string[]> {
    await this.challenges.enforce(subject, this.reauthTarget(), context);
    return this.issueBackupCodes(subject);
  }

  private async issueBackupCodes(subject: MfaSubject): Promise<string[]> {
    const codes = this.ctx.backupCodes.generateSet();
    const hashed = await Promise.all(
      codes.map(async (code) => ({ id: randomUUID(), codeHash: await this.ctx.hasher.hash(this.ctx.backupCodes.normalize(code)!) })),
    );
    await this.ctx.store.replaceBackupCodes(subject.userId, hashed, this.ctx.clock.now());
    this.audit.record(subject, { type: 'backup_codes.issued', severity: 'warning', channel: 'backup_code', outcome: 'success' });
    return codes;
  }

  private async requireReauthIfEnrolled(subject: MfaSubject, context: RequestContext): Promise<void> {
    const active = (await this.ctx.store.listEnrollments(subject.userId)).some((e) => e.status === 'active');
    if (active) await this.challenges.enforce(subject, this.reauthTarget(), context);
  }

  /** Changing factors needs a recent verification (OWASP: reauthenticate with an existing factor). */
  private reauthTarget(): MfaTarget {
    return { service: 'mfa', operation: 'manage-factors', requirement: { steps: [{ factors: 'any', maxAge: this.ctx.reauthMaxAge }] } };
  }
}

function toView(e: { id: string; label: string | null; status: 'pending' | 'active'; createdAt: number; confirmedAt: number | null; lastUsedAt: number | null }): FactorView {
  return { id: e.id, type: 'totp', label: e.label, status: e.status, createdAt: iso(e.createdAt)!, confirmedAt: iso(e.confirmedAt), lastUsedAt: iso(e.lastUsedAt) };
}
