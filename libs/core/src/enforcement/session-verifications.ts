import { randomUUID } from 'node:crypto';
import { sessionRefOf } from '../audit/audit-trail';
import { assuranceOf, type Assurance } from '../factors/assurance';
import type { FactorType } from '../factors/factor-type';
import type { VerifiedFactor } from '../policy/decide';
import { isSingleUse } from '../policy/requirement';
import { baselineOf, RequestContext } from '../policy/request-context';
import type { ChallengeDemand, SessionFactorRecord, VerificationCommit } from '../ports/mfa-store.port';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { MfaSubject } from '../subject';

type Deps = Pick<ResolvedMfaContext, 'store' | 'sessionCache' | 'challengeTtlMs'>;

/**
 * What a session has verified: read through the session cache, written only here or with
 * a challenge's spend, and every write of ours followed by an invalidation, so the cache
 * never misses a write of this process.
 */
export class SessionVerifications {
  constructor(private readonly deps: Deps) {}

  async read(subject: MfaSubject, sessionRef: string): Promise<VerifiedFactor[]> {
    const { sessionCache, store } = this.deps;
    const cached = sessionCache.get(subject.sessionId, subject.userId);
    if (cached) return cached;
    const ticket = sessionCache.readTicket();
    const records = await store.listSessionFactors(subject.userId, sessionRef);
    sessionCache.set(subject.sessionId, subject.userId, records, ticket);
    return records;
  }

  /** A verification outside a challenge (a confirmed enrollment); a challenge's goes with its spend. */
  async record(
    subject: MfaSubject,
    factor: FactorType,
    now: number,
    context: RequestContext = {},
    assurance: Assurance = assuranceOf(factor),
  ): Promise<void> {
    await this.deps.store.recordSessionFactor(this.sessionFactorOf(subject, factor, now, context, assurance));
    await this.forgetCached(subject);
  }

  async forgetCached(subject: MfaSubject): Promise<void> {
    // Other instances hold at worst an older "not yet verified" until the message lands; that
    // only asks again, so a failed publish must not fail the verification.
    await this.deps.sessionCache.invalidateSession(subject.sessionId).catch(() => undefined);
  }

  /** What verifying a challenge earns: a single-use grant for its scope (`maxAge: 0`), else the session's verification. */
  earnedBy(
    subject: MfaSubject,
    demand: ChallengeDemand,
    factor: FactorType,
    now: number,
    context: RequestContext,
    assurance: Assurance = assuranceOf(factor),
  ): VerificationCommit['earned'] {
    if (!isSingleUse(demand.steps[0]))
      return { sessionFactor: this.sessionFactorOf(subject, factor, now, context, assurance) };
    const sessionRef = sessionRefOf(subject.sessionId);
    return {
      grant: {
        id: randomUUID(),
        userId: subject.userId,
        sessionRef,
        scope: demand.scope,
        factor,
        createdAt: now,
        expiresAt: now + this.deps.challengeTtlMs,
        eventId: randomUUID(),
        assurance,
      },
    };
  }

  private sessionFactorOf(
    subject: MfaSubject,
    factor: FactorType,
    now: number,
    context: RequestContext,
    assurance: Assurance,
  ): SessionFactorRecord {
    return {
      sessionRef: sessionRefOf(subject.sessionId),
      userId: subject.userId,
      factor,
      verifiedAt: now,
      eventId: randomUUID(),
      baseline: baselineOf(context),
      assurance,
    };
  }
}
