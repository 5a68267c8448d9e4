import { AuditEvent, AuditSink } from '../ports/audit-sink.port';

/**
 * The default sink: one JSON line per event. Events are built by the engine from
 * known, secret-free fields only, so the line can go to any log pipeline. A decision's replay
 * record (up to 64 groups and 32 verifications) stays out of the line, which keeps it short:
 * only its route is logged; what-if reads the record from the database sink.
 */
export class LoggerAuditSink implements AuditSink {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n')) {}

  emit(event: AuditEvent): void {
    const { replay, ...rest } = event;
    const route = replay?.target?.route;
    this.write(
      JSON.stringify({ ...rest, ...(route && { route }), at: new Date(event.at).toISOString(), source: 'nestjs-mfa' }),
    );
  }
}
