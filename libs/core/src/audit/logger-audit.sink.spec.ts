// Invariant: the default stdout sink writes one short line per event: a decision's replay
// record (groups, verifications) never goes to the log, only the route it was taken on.
import type { DecisionReplay } from '../policy/decision-replay';
import { LoggerAuditSink } from './logger-audit.sink';

describe('LoggerAuditSink', () => {
  it('logs a decision event with its route and without its replay record', () => {
    const lines: string[] = [];
    const replay: DecisionReplay = {
      v: 1,
      target: { service: 'payments', route: 'GET /payments' },
      groups: Array.from({ length: 64 }, (_, i) => `group-${i}`),
      context: { country: 'TR', risk: 0.2 },
      verified: Array.from({ length: 32 }, () => ({ factor: 'totp' as const, ageSeconds: 12.5, aal: 2 as const })),
    };
    const sink = new LoggerAuditSink((line) => lines.push(line));
    sink.emit({ type: 'challenge.issued', at: Date.UTC(2026, 0, 1), severity: 'info', userId: 'u-bob', replay });
    sink.emit({ type: 'policy.activated', at: Date.UTC(2026, 0, 1), severity: 'critical', policyVersion: 2 });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        type: 'challenge.issued',
        at: '2026-01-01T00:00:00.000Z',
        severity: 'info',
        userId: 'u-bob',
        route: 'GET /payments',
        source: 'nestjs-mfa',
      },
      {
        type: 'policy.activated',
        at: '2026-01-01T00:00:00.000Z',
        severity: 'critical',
        policyVersion: 2,
        source: 'nestjs-mfa',
      },
    ]);
    expect(lines[0].length).toBeLessThan(200);
  });
});
