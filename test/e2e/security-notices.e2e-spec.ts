// Invariant: the user is told — through the notifier, never with a code in it — of a replayed
// TOTP code, a burst of wrong codes and a lock; at most once per kind per hour, however often an
// attacker triggers it, and every notice sent or held back is audited.
import { deliveryOptions } from '../support/sms-gateway';
import { useDeliveryServers } from '../support/delivery-servers';
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';
import type { LockoutOptions } from '../../libs/core/src';

const REPLAYED = 'entered again after it had already been used';
const BURST = 'Several wrong verification codes';
const LOCKED = 'was paused after too many wrong codes';

describe.each(MATRIX)('security notices on %s', (_name, backend, adapter) => {
  let t: TestApp | undefined;
  let run = 0;
  const servers = useDeliveryServers();
  const contact = () => `u-alice+${run}@accounts.example`;
  // Counters in the database: the once-an-hour gate is shared by every instance.
  const start = async (lockout: LockoutOptions = {}) =>
    (t = await startTestApp(backend, adapter, {
      ...deliveryOptions(servers.gateway, servers.inbox),
      counters: 'database',
      lockout,
      contactEmail: (userId) => `${userId}+${run}@accounts.example`,
    }));
  beforeEach(() => void run++);
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function told(app: TestApp, words: string): Promise<string[]> {
    await app.engine.notificationsSettled();
    return servers.inbox
      .to(contact())
      .map((m) => m.text ?? '')
      .filter((text) => text.includes(words));
  }
  const audited = (app: TestApp, type: string, kind: string) =>
    app.audit.ofType(type).filter((e) => e.reason === kind && e.userId === 'u-alice');

  it('tells the user of a replayed TOTP code once per hour, however often it is replayed', async () => {
    const app = await start({ maxAttempts: 100 });
    const { secret, backupCodes } = await signInEnrolled(app);
    const owner = await signIn(app);
    const code = totpAt(secret, app.clock);
    await owner
      .post(`/mfa/challenges/${await challengeFor(owner)}/verify`)
      .send({ method: 'totp', code })
      .expect(200);

    const onlooker = await signIn(app); // saw the code over the owner's shoulder
    const id = await challengeFor(onlooker);
    await onlooker.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code }).expect(401);
    expect(await told(app, REPLAYED)).toHaveLength(1);
    for (let i = 0; i < 9; i++)
      await onlooker.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code }).expect(401);
    expect(await told(app, REPLAYED)).toHaveLength(1);
    expect(app.audit.ofType('totp.replay')).toHaveLength(10);
    expect(audited(app, 'notification.sent', 'totp.replayed')).toHaveLength(1);
    expect(audited(app, 'notification.suppressed', 'totp.replayed')).toHaveLength(9);

    // An hour later a new replay is news again.
    app.clock.advance(3600);
    const again = await signIn(app);
    const fresh = totpAt(secret, app.clock);
    await again
      .post(`/mfa/challenges/${await challengeFor(again)}/verify`)
      .send({ method: 'totp', code: fresh })
      .expect(200);
    const late = await signIn(app);
    await late
      .post(`/mfa/challenges/${await challengeFor(late)}/verify`)
      .send({ method: 'totp', code: fresh })
      .expect(401);
    expect(await told(app, REPLAYED)).toHaveLength(2);

    const mail = servers.inbox
      .to(contact())
      .map((m) => `${m.subject}\n${m.text}\n${m.html || ''}`)
      .join('\n');
    for (const secretThing of [code, fresh, secret, ...backupCodes]) expect(mail).not.toContain(secretThing);
  });

  it('tells the user of a burst of wrong codes and of the lock that follows, once each per hour', async () => {
    const app = await start();
    const { secret, backupCodes } = await signInEnrolled(app);
    const attacker = await signIn(app);
    let id = await challengeFor(attacker);
    const guess = (code: string) => attacker.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code });
    await guess('123456').expect(401);
    await guess('234567').expect(401);
    expect(await told(app, BURST)).toHaveLength(0); // a typo or two is no burst
    await guess('345678').expect(401);
    expect(await told(app, BURST)).toHaveLength(1);
    await guess('456789').expect(401);
    await guess('567890').expect(401);
    expect(await told(app, LOCKED)).toHaveLength(0);
    await guess('678901').expect(429); // the lock begins
    expect(await told(app, LOCKED)).toHaveLength(1);
    expect(audited(app, 'notification.sent', 'lockout')).toHaveLength(1);

    // The lock lifts and the attacker goes again within the hour: audited, not mailed.
    app.clock.advance(901);
    id = await challengeFor(attacker);
    for (let i = 0; i < 5; i++) await guess('111111').expect(401);
    await guess('111111').expect(429);
    expect(await told(app, BURST)).toHaveLength(1);
    expect(await told(app, LOCKED)).toHaveLength(1);
    expect(audited(app, 'notification.suppressed', 'attempts.burst')).toHaveLength(1);
    expect(audited(app, 'notification.suppressed', 'lockout')).toHaveLength(1);

    const mail = servers.inbox
      .to(contact())
      .map((m) => `${m.subject}\n${m.text}\n${m.html || ''}`)
      .join('\n');
    for (const secretThing of [
      '123456',
      '345678',
      '678901',
      '111111',
      totpAt(secret, app.clock),
      secret,
      ...backupCodes,
    ])
      expect(mail).not.toContain(secretThing);
  });

  it('tells the user when the account-wide waits begin', async () => {
    const app = await start({ maxAttempts: 100, accountDelayAfter: 4 });
    await signInEnrolled(app);
    const attacker = await signIn(app);
    const id = await challengeFor(attacker);
    for (let i = 0; i < 4; i++)
      await attacker
        .post(`/mfa/challenges/${id}/verify`)
        .send({ method: 'backup_code', code: 'aaaaa-aaaaa' })
        .expect(401);
    expect(app.audit.ofType('lockout').map((e) => e.channel)).toEqual(['account']);
    const [notice] = await told(app, LOCKED);
    expect(notice).toContain('Sign-in with any method was paused');
  });
});
