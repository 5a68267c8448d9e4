// Invariant: retention options are checked once, at construction, and a value that would make
// pruning run wild (a timer overflow, a zero batch, the string 'false') stops boot with the fix.
import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { resolveRetention } from './retention.options';
import type { RetentionStore } from './retention.port';

const DAY = 86_400_000;

describe('resolveRetention', () => {
  it('defaults: hourly, 500 rows, 100 batches, 30 session days, audit kept', () => {
    expect(resolveRetention()).toEqual({
      enabled: true,
      intervalMs: 3_600_000,
      batchSize: 500,
      maxBatchesPerRun: 100,
      sessionMs: 30 * DAY,
      auditMs: null,
    });
  });

  it.each([
    [{ batchSize: 0 }, /retention.batchSize must be a whole number, 1 or more/],
    [{ intervalSeconds: 1.5 }, /retention.intervalSeconds/],
    [{ auditRetentionDays: -1 }, /retention.auditRetentionDays/],
    [{ sessionDays: 0 }, /retention.sessionDays/],
    [{ intervalSeconds: 2_147_484 }, /retention.intervalSeconds must be at most 2073600 \(24 days/],
    [{ intervalSeconds: 24 * 86_400 + 1 }, /at most 2073600/],
    [{ enabled: 'false' as unknown as boolean }, /retention.enabled must be true or false \(got the string 'false'\)/],
    [{ enabled: 0 as unknown as boolean }, /retention.enabled must be true or false/],
    [{ store: {} as RetentionStore }, /retention.store must implement pruneExpired/],
  ])('refuses %p', (options, message) => {
    expect(() => resolveRetention(options)).toThrow(MfaConfigurationError);
    expect(() => resolveRetention(options)).toThrow(message);
  });
});
