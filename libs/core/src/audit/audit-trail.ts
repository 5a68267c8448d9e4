import { createHash } from 'node:crypto';
import { AuditEvent, AuditSink } from '../ports/audit-sink.port';
import { Clock } from '../clock/clock';
import { MfaSubject } from '../subject';
import { FanOutAuditSink } from './fan-out-audit.sink';

export type AuditFields = Omit<AuditEvent, 'at' | 'userId' | 'sessionRef' | 'ip' | 'userAgent'>;

/**
 * Builds events from a subject and hands them to the sink. A failing sink is reported
 * on stderr and never changes an authentication decision.
 */
export class AuditTrail {
  /** The sinks other than the store's own table, when the store writes that table in its commits. */
  private readonly besideStore: AuditSink | null;

  constructor(
    private readonly sink: AuditSink,
    private readonly clock: Clock,
  ) {
    this.besideStore = sinksBesideStore(sink);
  }

  /** True when a verification's events are written by the store's commit (`VerificationCommit.audit`). */
  get writtenByStoreCommit(): boolean {
    return this.besideStore !== null;
  }

  /** `who` may lack a session (an admin action, a failure the app fed in). */
  record(who: Partial<MfaSubject> | undefined, event: AuditFields): void {
    this.send(this.sink, this.event(who, event));
  }

  /** An event stamped now, for a commit to write; hand it to `committed` once the commit holds. */
  event(who: Partial<MfaSubject> | undefined, event: AuditFields): AuditEvent {
    return {
      ...event,
      at: this.clock.now(),
      userId: who?.userId,
      sessionRef: who?.sessionId ? sessionRefOf(who.sessionId).slice(0, 16) : undefined,
      ip: who?.ip,
      userAgent: who?.userAgent,
    };
  }

  /** Events of a commit that held: to the sinks the store's commit did not already write. */
  committed(events: AuditEvent[], writtenByStore: boolean): void {
    const sink = writtenByStore ? this.besideStore : this.sink;
    if (sink) for (const event of events) this.send(sink, event);
  }

  private send(sink: AuditSink, event: AuditEvent): void {
    try {
      Promise.resolve(sink.emit(event)).catch(reportSinkFailure);
    } catch (err) {
      reportSinkFailure(err);
    }
  }
}

/** Null when no sink is written by the store's commits; otherwise the rest (possibly none). */
function sinksBesideStore(sink: AuditSink): AuditSink | null {
  if (sink.writtenByStoreCommit) return { emit: () => undefined };
  if (sink instanceof FanOutAuditSink && sink.sinks.some((s) => s.writtenByStoreCommit))
    return new FanOutAuditSink(sink.sinks.filter((s) => !s.writtenByStoreCommit));
  return null;
}

function reportSinkFailure(err: unknown): void {
  process.stderr.write(`nestjs-mfa: audit sink failed: ${err instanceof Error ? err.name : 'error'}\n`);
}

/** The store keys MFA state by a hash of the app's session id, never the id itself. */
export function sessionRefOf(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}
