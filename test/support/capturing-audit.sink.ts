import type { AuditEvent, AuditSink } from '../../libs/core/src';

/** Keeps events in memory so a test can assert what was audited. */
export class CapturingAuditSink implements AuditSink {
  readonly events: AuditEvent[] = [];

  emit(event: AuditEvent): void {
    this.events.push(event);
  }

  ofType(type: string): AuditEvent[] {
    return this.events.filter((e) => e.type === type);
  }
}
