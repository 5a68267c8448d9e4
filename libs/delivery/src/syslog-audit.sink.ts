import { createSocket, Socket as UdpSocket } from 'node:dgram';
import { hostname } from 'node:os';
import { connect, Socket } from 'node:net';
import { AuditEvent, AuditSeverity, AuditSink } from '../../core/src';

export interface SyslogAuditSinkOptions {
  host: string;
  port: number;
  /** @default 'udp' */
  protocol?: 'udp' | 'tcp';
  /** RFC 5424 facility; 10 is security/authorization (authpriv). @default 10 */
  facility?: number;
  /** @default 'nestjs-mfa' */
  appName?: string;
}

const SEVERITY: Record<AuditSeverity, number> = { critical: 2, high: 3, warning: 4, info: 6 };
const nil = (v: string | undefined, max: number) => (v ? v.replace(/[^\x21-\x7e]/g, '_').slice(0, max) : '-');

/** RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID - MSG`, the event as JSON in MSG. */
export function formatSyslog(event: AuditEvent, facility = 10, appName = 'nestjs-mfa', host = hostname()): string {
  const pri = facility * 8 + SEVERITY[event.severity];
  const msg = JSON.stringify({ ...event, at: new Date(event.at).toISOString() });
  return `<${pri}>1 ${new Date(event.at).toISOString()} ${nil(host, 255)} ${nil(appName, 48)} ${process.pid} ${nil(event.type, 32)} - ${msg}`;
}

/**
 * Streams audit events to a syslog collector (a SIEM's intake) over UDP or TCP (RFC 6587
 * octet counting). Sending never blocks or fails an authentication: errors are counted
 * and the TCP connection is re-opened on the next event.
 */
export class SyslogAuditSink implements AuditSink {
  private udp?: UdpSocket;
  private tcp?: Socket;
  failures = 0;

  constructor(private readonly options: SyslogAuditSinkOptions) {}

  emit(event: AuditEvent): void {
    const line = formatSyslog(event, this.options.facility, this.options.appName);
    if ((this.options.protocol ?? 'udp') === 'udp') {
      this.udp ??= createSocket('udp4').on('error', () => this.failures++);
      this.udp.send(line, this.options.port, this.options.host, (err) => err && this.failures++);
      return;
    }
    if (!this.tcp || this.tcp.destroyed) {
      this.tcp = connect(this.options.port, this.options.host);
      this.tcp.on('error', () => {
        this.failures++;
        this.tcp?.destroy();
      });
    }
    this.tcp.write(`${Buffer.byteLength(line)} ${line}`);
  }

  close(): void {
    this.udp?.close();
    this.tcp?.end();
  }
}
