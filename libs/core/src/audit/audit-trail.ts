import { createHash } from 'node:crypto';
import { AuditEvent, AuditSink } from '../ports/audit-sink.port';
import { Clock } from '../clock/clock';
import { MfaSubject } from '../subject';

/**
 * Builds events from a subject and hands them to the sink. A failing sink is reported
 * on stderr and never changes an authentication decision.
 */
export class AuditTrail {
  constructor(
    private readonly sink: AuditSink,
    private readonly clock: Clock,
  ) {}

  /** `who` may lack a session (an admin action, a failure the app fed in). */
  record(
    who: Partial<MfaSubject> | undefined,
    event: Omit<AuditEvent, 'at' | 'userId' | 'sessionRef' | 'ip' | 'userAgent'>,
  ): void {
    const full: AuditEvent = {
      ...event,
      at: this.clock.now(),
      userId: who?.userId,
      sessionRef: who?.sessionId ? sessionRefOf(who.sessionId).slice(0, 16) : undefined,
      ip: who?.ip,
      userAgent: who?.userAgent,
    };
    try {
      Promise.resolve(this.sink.emit(full)).catch(reportSinkFailure);
    } catch (err) {
      reportSinkFailure(err);
    }
  }
}

function reportSinkFailure(err: unknown): void {
  process.stderr.write(`nestjs-mfa: audit sink failed: ${err instanceof Error ? err.name : 'error'}\n`);
}

/** The store keys MFA state by a hash of the app's session id, never the id itself. */
export function sessionRefOf(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}
