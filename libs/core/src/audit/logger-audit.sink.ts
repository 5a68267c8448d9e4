import { AuditEvent, AuditSink } from '../ports/audit-sink.port';

/**
 * The default sink: one JSON line per event. Events are built by the engine from
 * known, secret-free fields only, so the line can go to any log pipeline.
 */
export class LoggerAuditSink implements AuditSink {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n')) {}

  emit(event: AuditEvent): void {
    this.write(JSON.stringify({ ...event, at: new Date(event.at).toISOString(), source: 'nestjs-mfa' }));
  }
}
