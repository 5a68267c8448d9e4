import type { AuditPage, AuditReader, AuditSink } from '../../libs/core/src';

/** A searchable audit sink whose queries wait until the test lets them go: a what-if held in flight. */
export class HeldAuditReader implements AuditSink, AuditReader {
  queries = 0;
  private release!: () => void;
  private readonly held = new Promise<void>((resolve) => (this.release = resolve));

  emit(): void {}

  async query(): Promise<AuditPage> {
    this.queries++;
    await this.held;
    return { events: [], nextCursor: null };
  }

  /** Resolves once a query is waiting. */
  async waiting(): Promise<void> {
    for (let tries = 0; this.queries === 0; tries++) {
      if (tries > 500) throw new Error('no query ever came');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  letGo(): void {
    this.release();
  }
}
