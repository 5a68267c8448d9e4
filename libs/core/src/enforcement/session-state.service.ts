import { AuditTrail, sessionRefOf } from '../audit/audit-trail';
import { RequestContext } from '../policy/request-context';
import { sessionRenewedEvent } from './session-renewed.event';
import { MfaSubject } from '../subject';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { Reauthentication } from './reauthentication';

type Deps = Pick<ResolvedMfaContext, 'store' | 'clock' | 'sessionCache'>;

/**
 * A session's MFA state as a whole: moved to a renewed session id (ASVS 7.2.4), voided on
 * a failed renewal, and voided for every other session of the user on request (ASVS 7.4.3).
 * Every change reaches the session caches of all instances.
 */
export class SessionStateService {
  constructor(
    private readonly ctx: Deps,
    private readonly audit: AuditTrail,
    private readonly reauth: Reauthentication,
  ) {}

  /** After the app renewed its session id: the old id keeps nothing, the new one has it all. */
  async move(userId: string, fromSessionId: string, toSessionId: string): Promise<void> {
    if (fromSessionId === toSessionId) return;
    await this.ctx.store.moveSession(userId, sessionRefOf(fromSessionId), sessionRefOf(toSessionId));
    // Another instance still serving the old id from its cache would undo the renewal: errors surface.
    await Promise.all([
      this.ctx.sessionCache.invalidateSession(fromSessionId),
      this.ctx.sessionCache.invalidateSession(toSessionId),
    ]);
    this.audit.record({ userId, sessionId: toSessionId }, sessionRenewedEvent(fromSessionId));
  }

  /** Voids one session's MFA state: a renewal that failed, or the app's own sign-out. */
  async forget(userId: string, sessionId: string): Promise<void> {
    await this.ctx.store.voidSessions(userId, { only: sessionRefOf(sessionId) });
    await this.ctx.sessionCache.invalidateSession(sessionId);
  }

  /** Other sessions of the user that hold MFA state (`currentSessionId` omitted: all of them). */
  countOthers(userId: string, currentSessionId = ''): Promise<number> {
    return this.ctx.store.countSessions(
      userId,
      currentSessionId ? sessionRefOf(currentSessionId) : '',
      this.ctx.clock.now(),
    );
  }

  /**
   * Ends MFA in every other session of the user. A change like the others: a user with a
   * factor needs a fresh verification; one without (after recovery or a forced
   * re-enrollment) may do it on the password alone, since it only takes access away.
   */
  async revokeOthers(subject: MfaSubject, context: RequestContext): Promise<number> {
    const enrolled = (await this.ctx.store.listEnrollments(subject.userId)).some((e) => e.status === 'active');
    if (enrolled) await this.reauth.requireFresh(subject, context);
    const voided = await this.ctx.store.voidSessions(subject.userId, { except: sessionRefOf(subject.sessionId) });
    await this.ctx.sessionCache.invalidateUser(subject.userId); // a revocation other instances must not miss: errors surface
    this.audit.record(subject, {
      type: 'session.others_revoked',
      severity: 'warning',
      outcome: 'success',
      reason: `${voided} other session(s) voided`,
    });
    return voided;
  }
}
