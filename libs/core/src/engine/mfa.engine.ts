import { AuditTrail } from '../audit/audit-trail';
import { Requirement } from '../policy/requirement';
import { FactorType } from '../ports/mfa-store.port';
import { MfaSubject } from '../subject';
import { AttemptLimiter } from './attempt-limiter';
import { ChallengeService, VerifyResult } from './challenge.service';
import { EnrollmentService, EnrollmentSummary, FactorView, TotpEnrollmentStart } from './enrollment.service';
import { FactorVerifier } from './factor-verifier';
import { MfaCoreOptions, ResolvedMfaContext, resolveMfaOptions } from './mfa-options';
import { rotateSealedSecrets } from './rotate-secrets';

/**
 * The framework-free entry point both adapters call. Every method takes an
 * `MfaSubject`, never a request, and refuses by throwing `MfaError`.
 */
export class MfaEngine {
  private readonly ctx: ResolvedMfaContext;
  private readonly challenges: ChallengeService;
  private readonly enrollments: EnrollmentService;

  constructor(options: MfaCoreOptions) {
    this.ctx = resolveMfaOptions(options);
    const audit = new AuditTrail(this.ctx.audit, this.ctx.clock);
    const limiter = new AttemptLimiter(this.ctx, audit);
    const verifier = new FactorVerifier(this.ctx, audit);
    this.challenges = new ChallengeService(this.ctx, audit, limiter, verifier);
    this.enrollments = new EnrollmentService(this.ctx, audit, limiter, verifier, this.challenges);
  }

  /** Resolves when the session satisfies `requirement`, else throws MFA_REQUIRED carrying a challenge. */
  enforce(subject: MfaSubject, requirement: Requirement): Promise<void> {
    return this.challenges.enforce(subject, requirement);
  }

  verifyChallenge(subject: MfaSubject, challengeId: string, method: FactorType, code: string): Promise<VerifyResult> {
    return this.challenges.verify(subject, challengeId, method, code);
  }

  startTotpEnrollment(subject: MfaSubject, label?: string): Promise<TotpEnrollmentStart> {
    return this.enrollments.startTotp(subject, label);
  }

  confirmTotpEnrollment(subject: MfaSubject, enrollmentId: string, code: string): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    return this.enrollments.confirmTotp(subject, enrollmentId, code);
  }

  listEnrollments(subject: MfaSubject): Promise<EnrollmentSummary> {
    return this.enrollments.list(subject);
  }

  regenerateBackupCodes(subject: MfaSubject): Promise<string[]> {
    return this.enrollments.regenerateBackupCodes(subject);
  }

  /** Re-seals every TOTP secret under the current key. Safe to run while serving. */
  rotateEncryptionKeys(): Promise<number> {
    return rotateSealedSecrets(this.ctx);
  }

  async close(): Promise<void> {
    await this.ctx.store.close?.();
  }
}
