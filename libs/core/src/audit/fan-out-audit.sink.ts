import { AuditEvent, AuditSink } from '../ports/audit-sink.port';

/** Sends every event to several sinks (a table and a SIEM, say); one failing never stops the others. */
export class FanOutAuditSink implements AuditSink {
  constructor(readonly sinks: readonly AuditSink[]) {}

  async emit(event: AuditEvent): Promise<void> {
    await Promise.allSettled(this.sinks.map(async (sink) => sink.emit(event)));
  }
}
