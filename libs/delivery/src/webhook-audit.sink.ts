import { AuditEvent, AuditSink } from '../../core/src';

export interface WebhookAuditSinkOptions {
  url: string;
  headers?: Record<string, string>;
  /** Events per POST. @default 100 */
  batchSize?: number;
  /** Milliseconds between flushes. @default 2000 */
  flushIntervalMs?: number;
  /** Events kept while the SIEM is unreachable; beyond this the oldest are dropped and counted. @default 10000 */
  maxBuffer?: number;
  /** Attempts per batch, with exponential backoff from `retryBaseMs`. @default 5 */
  maxAttempts?: number;
  /** @default 500 */
  retryBaseMs?: number;
}

/**
 * Batches audit events to an HTTP intake (SIEM). `emit` only appends to a bounded buffer,
 * so a slow or failing SIEM never blocks or changes an authentication; what could not be
 * kept is counted in `stats.dropped`.
 */
export class WebhookAuditSink implements AuditSink {
  private buffer: AuditEvent[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  readonly stats = { sent: 0, dropped: 0, failedAttempts: 0 };

  constructor(private readonly options: WebhookAuditSinkOptions) {}

  emit(event: AuditEvent): void {
    this.buffer.push(event);
    const overflow = this.buffer.length - (this.options.maxBuffer ?? 10_000);
    if (overflow > 0) {
      this.buffer.splice(0, overflow);
      this.stats.dropped += overflow;
    }
    this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs ?? 2000).unref();
  }

  /** Sends everything buffered now; resolves when done or given up. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing ??= this.drain().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.buffer.length) {
      const batch = this.buffer.splice(0, this.options.batchSize ?? 100);
      if (!(await this.send(batch))) {
        this.stats.dropped += batch.length;
        return;
      }
      this.stats.sent += batch.length;
    }
  }

  private async send(batch: AuditEvent[]): Promise<boolean> {
    const attempts = this.options.maxAttempts ?? 5;
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        const res = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...this.options.headers },
          body: JSON.stringify(batch.map((e) => ({ ...e, at: new Date(e.at).toISOString() }))),
        });
        if (res.ok) return true;
      } catch {
        // unreachable: retried below
      }
      this.stats.failedAttempts++;
      if (attempt < attempts - 1)
        await new Promise((resolve) => setTimeout(resolve, (this.options.retryBaseMs ?? 500) * 2 ** attempt));
    }
    return false;
  }
}
