import { AuditTrail, sessionRefOf } from '../audit/audit-trail';
import { sessionRenewedEvent } from '../enforcement/session-renewed.event';
import type { SessionVerifications } from '../enforcement/session-verifications';
import type { FactorType } from '../factors/factor-type';
import type { SpendAndRecord } from '../factors/factor.verifier';
import type { ResolvedMfaContext } from '../options/mfa-context';
import { isSingleUse } from '../policy/requirement';
import type { RequestContext } from '../policy/request-context';
import type { AuditEvent } from '../ports/audit-sink.port';
import type { ChallengeRecord, VerificationOutcome } from '../ports/mfa-store.port';
import type { MfaSubject } from '../subject';

/**
 * Renews the app's session id once the answer proved right, before anything is spent, and
 * returns the new id (null: the id stays). Throwing refuses the verification.
 */
export type RenewSessionId = () => Promise<string | null>;

/** SessionStateService's move to a renewed id, and its voiding of one session. */
export interface SessionMover {
  move(userId: string, fromSessionId: string, toSessionId: string): Promise<void>;
  forget(userId: string, sessionId: string): Promise<void>;
}

type Deps = Pick<ResolvedMfaContext, 'store' | 'sessionCache'>;

/** What one verification asks to commit, besides the spend its verifier finds. */
export interface VerificationAsk {
  subject: MfaSubject;
  challenge: ChallengeRecord;
  method: FactorType;
  now: number;
  baseline: RequestContext;
  renew?: RenewSessionId;
}

/**
 * One verification's write: the session id renewed first (once, and only for a right
 * answer, so a wrong code never costs the user their session), then the spend, the
 * challenge's completion, what it earns, the move of the session's state to the new id and
 * the audit rows, as ONE commit of the store: one statement on PostgreSQL, one
 * transaction elsewhere.
 */
export class VerificationCommitter {
  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly sessions: SessionVerifications,
    private readonly mover: SessionMover,
  ) {}

  begin(ask: VerificationAsk): VerificationAttempt {
    return new VerificationAttempt(this.deps, this.audit, this.sessions, this.mover, ask);
  }
}

export class VerificationAttempt {
  private renewing?: Promise<string | null>;
  private renewedId: string | null = null;
  private events: AuditEvent[] = [];
  private committed = false;
  private writtenByStore = false;
  /** The app's renewal threw: the answer was right, so it is not the user's failed attempt. */
  renewalFailed = false;

  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly sessions: SessionVerifications,
    private readonly mover: SessionMover,
    private readonly ask: VerificationAsk,
  ) {}

  /** For the verifier: called only once an answer matched. */
  readonly commit: SpendAndRecord = async (spend, assurance) => {
    const { subject, challenge, method, now, baseline } = this.ask;
    const renewedId = await this.renewOnce();
    const holder = renewedId ? { ...subject, sessionId: renewedId } : subject;
    const earned = this.sessions.earnedBy(holder, challenge.requirement, method, now, baseline, assurance);
    const events = [this.audit.event(subject, verifiedEvent(challenge, method))];
    if (renewedId) events.push(this.audit.event(holder, sessionRenewedEvent(subject.sessionId)));
    const writtenByStore = this.audit.writtenByStoreCommit;
    const outcome: VerificationOutcome = await this.deps.store.commitVerification({
      userId: subject.userId,
      spend,
      challengeId: challenge.id,
      earned,
      now,
      ...(renewedId ? { renewal: { fromRef: sessionRefOf(subject.sessionId), toRef: sessionRefOf(renewedId) } } : {}),
      ...(writtenByStore ? { audit: events } : {}),
    });
    if (outcome === 'committed') {
      this.committed = true;
      this.events = events;
      this.writtenByStore = writtenByStore;
    }
    return outcome;
  };

  /** The session id the verification now lives under. */
  get sessionId(): string {
    return this.renewedId ?? this.ask.subject.sessionId;
  }

  /**
   * After the verifier: a commit's events go to the sinks it did not write, and every
   * session cache drops the ids it touched. A renewal whose commit was refused (a replay,
   * a lost race) still moved the app's id, so the state follows it on its own.
   */
  async settle(): Promise<void> {
    const { subject, challenge } = this.ask;
    if (this.renewedId && !this.committed) {
      const renewedId = this.renewedId;
      // A state left under an id the app has renewed away from is voided, never left usable.
      await this.mover.move(subject.userId, subject.sessionId, renewedId).catch(async (err: unknown) => {
        await this.mover.forget(subject.userId, subject.sessionId).catch(() => undefined);
        throw err;
      });
      return;
    }
    if (!this.committed) return;
    this.audit.committed(this.events, this.writtenByStore);
    if (this.renewedId) {
      // The verification is written under the new id only: an instance that misses this keeps
      // at most the old id's earlier state for one cache TTL (and a lost Redis turns every
      // instance's cache off), so a failed publish must not turn the commit into a 503.
      await Promise.all(
        [subject.sessionId, this.renewedId].map((id) => this.sessions.forgetCached({ ...subject, sessionId: id })),
      );
    } else if (!isSingleUse(challenge.requirement.steps[0])) await this.sessions.forgetCached(subject);
  }

  private renewOnce(): Promise<string | null> {
    const renew = this.ask.renew;
    if (!renew) return Promise.resolve(null);
    this.renewing ??= renew().then(
      (id) => {
        this.renewedId = id && id !== this.ask.subject.sessionId ? id : null;
        return this.renewedId;
      },
      (err: unknown) => {
        this.renewalFailed = true;
        throw err;
      },
    );
    return this.renewing;
  }
}

function verifiedEvent(challenge: ChallengeRecord, method: FactorType) {
  const demand = challenge.requirement;
  const singleUse = isSingleUse(demand.steps[0]);
  return {
    type: 'challenge.verified',
    severity: 'info' as const,
    channel: method,
    outcome: 'success' as const,
    challengeId: challenge.id,
    policyVersion: demand.policyVersion,
    ruleId: demand.ruleId,
    reason: singleUse ? `single-use grant for ${demand.scope}` : undefined,
  };
}
