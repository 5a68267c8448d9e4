import { AuditTrail } from '../audit/audit-trail';
import { ManualClock } from '../clock/clock';
import { InMemoryCounterStore } from '../counters/in-memory-counter.store';
import { MfaError } from '../errors/mfa.error';
import { AuditEvent } from '../ports/audit-sink.port';
import { AttemptLimiter } from './attempt-limiter';
import { LockoutEvent, resolveMfaOptions } from './mfa-options';

function setup(lockout = {}) {
  const clock = new ManualClock();
  const events: AuditEvent[] = [];
  const lockouts: LockoutEvent[] = [];
  const ctx = resolveMfaOptions({
    store: {} as never,
    encryption: { keys: [{ id: 'k', key: Buffer.alloc(32, 1).toString('base64') }] },
    counters: new InMemoryCounterStore(),
    clock,
    lockout: { onLockout: (e) => lockouts.push(e), ...lockout },
  });
  const limiter = new AttemptLimiter(ctx, new AuditTrail({ emit: (e) => void events.push(e) }, clock));
  const subject = { userId: 'u1', sessionId: 's1' };
  const wrong = (channel = 'totp') => limiter.attempt(subject, channel, async () => null).catch((e: MfaError) => e);
  const right = (channel = 'totp') => limiter.attempt(subject, channel, async () => true).catch((e: MfaError) => e);
  return { clock, limiter, lockouts, events, wrong, right };
}

describe('AttemptLimiter', () => {
  it('locks a channel after its limit, and each repeat lock within a day lasts twice as long', async () => {
    const { clock, lockouts, wrong, right } = setup();
    for (let i = 0; i < 5; i++) expect(((await wrong()) as MfaError).code).toBe('INVALID_CODE');
    const first = (await right()) as MfaError;
    expect(first.code).toBe('MFA_LOCKED');
    expect(first.retryAfterSeconds).toBe(900);
    clock.advance(900);
    for (let i = 0; i < 5; i++) await wrong();
    expect(((await wrong()) as MfaError).retryAfterSeconds).toBe(1800);
    expect(lockouts.map((e) => [e.channel, e.strike, e.retryAfterSeconds])).toEqual([['totp', 1, 900], ['totp', 2, 1800]]);
  });

  it('a success clears the count', async () => {
    const { wrong, right } = setup();
    for (let i = 0; i < 4; i++) await wrong();
    expect(await right()).toBe(true);
    for (let i = 0; i < 4; i++) await wrong();
    expect(await right()).toBe(true);
  });

  it('caps consecutive failures across channels, including the app’s own', async () => {
    const { limiter, wrong, lockouts } = setup({ accountMaxAttempts: 8 });
    for (let i = 0; i < 4; i++) await wrong('totp');
    for (let i = 0; i < 3; i++) await wrong('backup_code');
    expect(await limiter.recordExternalFailure('u1', 'password')).toEqual({ locked: false, retryAfterSeconds: 0 });
    const locked = (await wrong('backup_code')) as MfaError;
    expect(locked.code).toBe('MFA_LOCKED');
    expect(lockouts.at(-1)).toMatchObject({ channel: 'account' });
    const status = await limiter.status('u1', ['totp', 'backup_code']);
    expect(status).toMatchObject({ totp: { failures: 4 }, backup_code: { failures: 4 }, account: { failures: 8, lockedForSeconds: 86_400 } });
    await limiter.clear('u1', ['totp', 'backup_code', 'password']);
    expect((await limiter.status('u1', ['totp'])).account).toEqual({ failures: 0, lockedForSeconds: 0 });
  });

  it('refuses an account cap above NIST’s 100', () => {
    expect(() => setup({ accountMaxAttempts: 101 })).toThrow(/at most 100/);
  });
});
