import { randomUUID } from 'node:crypto';
import { AuditTrail, sessionRefOf } from '../audit/audit-trail';
import { MfaError } from '../errors/mfa.error';
import { isSatisfied } from '../policy/evaluate-requirement';
import { acceptedFactors, Requirement, requirementKey } from '../policy/requirement';
import { ChallengeRecord, FactorType, SessionFactorRecord } from '../ports/mfa-store.port';
import { MfaSubject } from '../subject';
import { AttemptLimiter } from './attempt-limiter';
import { FactorVerifier } from './factor-verifier';
import { ResolvedMfaContext } from './mfa-options';

export type MethodView = { type: 'totp'; enrollments: Array<{ id: string; label: string | null }> } | { type: 'backup_code'; remaining: number };

/** What the client sees of a challenge: never a secret, only what it may answer with. */
export interface ChallengeView {
  id: string;
  expiresAt: string;
  requirement: Requirement;
  methods: MethodView[];
}

export interface VerifyResult {
  method: FactorType;
  verifiedAt: string;
}

const SATISFIED: Promise<void> = Promise.resolve();

/** evaluate → challenge → verify → grant, over server-side session state only. */
export class ChallengeService {
  constructor(
    private readonly ctx: ResolvedMfaContext,
    private readonly audit: AuditTrail,
    private readonly limiter: AttemptLimiter,
    private readonly verifier: FactorVerifier,
  ) {}

  /** Resolves when the session satisfies the requirement; otherwise throws MFA_REQUIRED with a challenge. */
  enforce(subject: MfaSubject, requirement: Requirement): Promise<void> {
    if (requirement.kind === 'none') return SATISFIED;
    const sessionRef = sessionRefOf(subject.sessionId);
    // Hot path: a satisfied session answered from the cache allocates no further promises.
    const cached = this.ctx.sessionCache.get(sessionRef, subject.userId);
    if (cached && isSatisfied(requirement, cached, this.ctx.clock.now())) return SATISFIED;
    return this.enforceFromStore(subject, sessionRef, requirement, cached);
  }

  private async enforceFromStore(subject: MfaSubject, sessionRef: string, requirement: Requirement, cached?: SessionFactorRecord[]): Promise<void> {
    const verified = cached ?? (await this.sessionFactors(subject.userId, sessionRef));
    if (isSatisfied(requirement, verified, this.ctx.clock.now())) return;
    const challenge = await this.openChallenge(subject, sessionRef, requirement);
    throw new MfaError('MFA_REQUIRED', { challenge });
  }

  async verify(subject: MfaSubject, challengeId: string, method: FactorType, code: string): Promise<VerifyResult> {
    const now = this.ctx.clock.now();
    const sessionRef = sessionRefOf(subject.sessionId);
    const challenge = await this.limiter.attempt(subject, method, async () => {
      const found = challengeId.length <= 64 ? await this.ctx.store.findChallenge(challengeId) : null;
      // Unknown, foreign, expired, spent and wrong-method challenges all fail like a wrong code: no oracle.
      const usable =
        found &&
        found.userId === subject.userId &&
        found.sessionRef === sessionRef &&
        found.status === 'pending' &&
        found.expiresAt > now &&
        acceptedFactors(found.requirement).includes(method);
      if (!usable) return null;
      const ok = await this.verifier.verify(subject, method, code, now);
      return ok ? found : null;
    });
    await this.ctx.store.completeChallenge(challenge.id, now);
    await this.recordVerification(subject, method, now);
    this.audit.record(subject, { type: 'challenge.verified', severity: 'info', channel: method, outcome: 'success', challengeId: challenge.id });
    return { method, verifiedAt: new Date(now).toISOString() };
  }

  /** The one place a session's verification is written, so the cache can never miss a write of ours. */
  async recordVerification(subject: MfaSubject, factor: FactorType, now: number): Promise<void> {
    const sessionRef = sessionRefOf(subject.sessionId);
    await this.ctx.store.recordSessionFactor({ sessionRef, userId: subject.userId, factor, verifiedAt: now });
    this.ctx.sessionCache.invalidateSession(sessionRef);
  }

  private async sessionFactors(userId: string, sessionRef: string): Promise<SessionFactorRecord[]> {
    const cached = this.ctx.sessionCache.get(sessionRef, userId);
    if (cached) return cached;
    const ticket = this.ctx.sessionCache.readTicket();
    const factors = await this.ctx.store.listSessionFactors(userId, sessionRef);
    this.ctx.sessionCache.set(sessionRef, userId, factors, ticket);
    return factors;
  }

  private async openChallenge(subject: MfaSubject, sessionRef: string, requirement: Requirement): Promise<ChallengeView> {
    const now = this.ctx.clock.now();
    const methods = await this.availableMethods(subject.userId, requirement);
    if (methods.length === 0) {
      this.audit.record(subject, { type: 'enrollment.required', severity: 'info', outcome: 'refused' });
      throw new MfaError('MFA_ENROLLMENT_REQUIRED');
    }
    const purpose = requirementKey(requirement);
    let challenge = await this.ctx.store.findPendingChallenge(subject.userId, sessionRef, purpose, now);
    if (!challenge) {
      challenge = this.newChallenge(subject.userId, sessionRef, purpose, requirement, now);
      await this.ctx.store.createChallenge(challenge);
      this.audit.record(subject, { type: 'challenge.issued', severity: 'info', outcome: 'challenge', challengeId: challenge.id, reason: purpose });
    }
    return { id: challenge.id, expiresAt: new Date(challenge.expiresAt).toISOString(), requirement, methods };
  }

  private newChallenge(userId: string, sessionRef: string, purpose: string, requirement: Requirement, now: number): ChallengeRecord {
    return { id: randomUUID(), userId, sessionRef, purpose, requirement, status: 'pending', createdAt: now, expiresAt: now + this.ctx.challengeTtlMs };
  }

  private async availableMethods(userId: string, requirement: Requirement): Promise<MethodView[]> {
    const accepted = acceptedFactors(requirement);
    const methods: MethodView[] = [];
    if (accepted.includes('totp')) {
      const totp = (await this.ctx.store.listEnrollments(userId)).filter((e) => e.status === 'active' && e.type === 'totp');
      if (totp.length) methods.push({ type: 'totp', enrollments: totp.map((e) => ({ id: e.id, label: e.label })) });
    }
    // Backup codes are a recovery path for an enrolled user, never a factor on their own.
    if (accepted.includes('backup_code') && (methods.length || accepted.length === 1)) {
      const remaining = (await this.ctx.store.listUnusedBackupCodes(userId)).length;
      if (remaining) methods.push({ type: 'backup_code', remaining });
    }
    return methods;
  }
}
