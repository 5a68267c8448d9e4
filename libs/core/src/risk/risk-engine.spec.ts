// Each signal, driven by the injected clock (never a sleep) and a GeoIP fake that maps
// documentation addresses to places; and how signals combine into a score, at what cost.
import { ACCOUNT_CHANNEL, lockoutKeys } from '../lockout/attempt-limiter';
import { compilePolicy } from '../policy/compile-policy';
import { InMemoryRiskHistoryStore } from './in-memory-risk-history.store';
import { alice, from, SAFARI_IPHONE, setup } from '../../../../test/support/risk-engine-world';

describe('RiskEngine signals', () => {
  it('raises no "new" signal before the first verified sign-in: there is nothing to compare with', async () => {
    const { assess } = setup();
    expect(await assess('203.0.113.9', SAFARI_IPHONE)).toMatchObject({ risk: 0, riskSignals: {} });
  });

  it('new country and impossible travel: Berlin, then Tokyo an hour later', async () => {
    const { clock, assess, verifiedFrom } = setup();
    await verifiedFrom('198.51.100.7');
    expect((await assess('198.51.100.7')).risk).toBe(0);
    clock.advance(3600);
    const tokyo = await assess('203.0.113.9');
    expect(tokyo.riskSignals).toEqual({
      newCountry: { country: 'JP' },
      impossibleTravel: { km: expect.closeTo(8920, -2), minutes: 60 },
    });
    expect(tokyo.risk).toBe(1);
  });

  it('a day later the same trip is a flight, not impossible: only the country is new', async () => {
    const { clock, assess, verifiedFrom } = setup();
    await verifiedFrom('198.51.100.7');
    clock.advance(20 * 3600);
    expect((await assess('203.0.113.9')).riskSignals).toEqual({ newCountry: { country: 'JP' } });
  });

  it('travel inside one country is judged by coordinates: Berlin to Munich in 10 minutes', async () => {
    const { clock, assess, verifiedFrom } = setup();
    await verifiedFrom('198.51.100.7');
    clock.advance(600);
    expect((await assess('198.51.100.8')).riskSignals).toEqual({ impossibleTravel: { km: 502, minutes: 10 } });
    clock.advance(3000); // 502 km in an hour, less both accuracy radii: under 1000 km/h
    expect((await assess('198.51.100.8')).riskSignals).toEqual({});
  });

  it('the country header alone is enough: centroids, coarse but far apart', async () => {
    const { clock, engine, learn } = setup();
    await learn({ country: 'DE', client: { userAgent: '' } });
    clock.advance(3600);
    const japan = await engine.assess(alice, { country: 'JP', client: { userAgent: '' } });
    expect(japan.riskSignals?.impossibleTravel?.minutes).toBe(60);
    const france = await engine.assess(alice, { country: 'FR', client: { userAgent: '' } });
    expect(france.riskSignals).toEqual({ newCountry: { country: 'FR' } }); // neighbours: within both radii
  });

  it('new device: a browser and OS family never verified from', async () => {
    const { assess, verifiedFrom } = setup();
    await verifiedFrom('198.51.100.7');
    const phone = await assess('198.51.100.7', SAFARI_IPHONE);
    expect(phone).toMatchObject({ risk: 0.3, riskSignals: { newDevice: { family: 'Safari/iOS' } } });
    const noHeader = await assess('198.51.100.7', '');
    expect(noHeader.riskSignals?.newDevice).toEqual({ family: 'Unknown browser/unknown system' });
  });

  it('unusual hour: only once there are enough verifications to know the habit', async () => {
    const { clock, assess, verifiedFrom } = setup();
    for (let day = 0; day < 9; day++) {
      await verifiedFrom('198.51.100.7');
      clock.advance(86_400);
    }
    clock.advance(15 * 3600); // 03:00 UTC
    expect((await assess('198.51.100.7')).riskSignals).toEqual({}); // 9 samples: not yet
    clock.advance(-15 * 3600);
    await verifiedFrom('198.51.100.7');
    clock.advance(15 * 3600);
    expect((await assess('198.51.100.7')).riskSignals).toEqual({ unusualHour: { hour: 3 } });
    clock.advance(10 * 3600); // 13:00, an hour after the habit
    expect((await assess('198.51.100.7')).riskSignals).toEqual({});
  });

  it('failure burst: the account-wide count the lockout keeps, at the threshold', async () => {
    const { clock, counters, assess } = setup();
    const key = lockoutKeys(alice.userId, ACCOUNT_CHANNEL).account;
    for (let i = 0; i < 4; i++) await counters.hit(key, 100, 86_400_000, clock.now());
    expect((await assess('198.51.100.7')).riskSignals).toEqual({});
    await counters.hit(key, 100, 86_400_000, clock.now());
    expect((await assess('198.51.100.7')).riskSignals).toEqual({ failureBurst: { failures: 5 } });
  });

  it('untrusted addresses: IPv4 and IPv6 ranges, or the host callback', async () => {
    const ranges = setup({ untrustedIps: ['203.0.113.0/24', '2001:db8::/32'] });
    expect((await ranges.assess('203.0.113.9')).riskSignals).toEqual({ untrustedIp: true });
    expect((await ranges.assess('2001:db8::5')).riskSignals).toEqual({ untrustedIp: true });
    expect((await ranges.assess('198.51.100.7')).riskSignals).toEqual({});
    const callback = setup({ untrustedIps: async (ip) => ip.startsWith('198.51.') });
    expect((await callback.assess('198.51.100.7')).riskSignals).toEqual({ untrustedIp: true });
  });

  it('forgets what the retention window no longer covers, and a user gone that long starts over', async () => {
    const { clock, assess, verifiedFrom, engine, history } = setup({ retentionDays: 30 });
    await verifiedFrom('198.51.100.7');
    clock.advance(20 * 86_400);
    await verifiedFrom('2001:db8::5', SAFARI_IPHONE);
    clock.advance(15 * 86_400); // Berlin and Firefox were last seen 35 days ago
    expect((await assess('198.51.100.7')).riskSignals).toEqual({
      newCountry: { country: 'DE' },
      newDevice: { family: 'Firefox/Linux' },
    });
    clock.advance(20 * 86_400);
    expect((await assess('203.0.113.9')).riskSignals).toEqual({});
    expect(await engine.prune(10)).toBe(1);
    expect(await history.loadRiskProfile(alice.userId)).toBeUndefined();
  });
});

describe('RiskEngine scoring and cost', () => {
  it("adds the host's riskSignal, or lets it replace the built-in score without reading history", async () => {
    const add = setup();
    await add.verifiedFrom('198.51.100.7');
    add.clock.advance(86_400);
    const added = await add.engine.assess(alice, { ...(await from('2001:db8::5')), risk: 0.2 });
    expect(added).toMatchObject({ risk: 0.7, riskSignals: { newCountry: { country: 'FR' }, hostSignal: 0.2 } });

    const history = new InMemoryRiskHistoryStore();
    const load = jest.spyOn(history, 'loadRiskProfile');
    const replace = setup({ hostSignal: 'replace' }, history);
    expect(await replace.engine.assess(alice, { ...(await from('2001:db8::5')), risk: 0.1 })).toMatchObject({
      risk: 0.1,
      riskSignals: { hostSignal: 0.1 },
    });
    expect(load).not.toHaveBeenCalled();
    expect((await replace.engine.assess(alice, { risk: Number.NaN })).risk).toBe(1); // a broken hook is risky, not safe
  });

  it('computes no signal weighted 0, so it costs nothing', async () => {
    const { counters, assess } = setup({ weights: { failureBurst: 0, untrustedIp: 0 }, untrustedIps: ['0.0.0.0/0'] });
    const peek = jest.spyOn(counters, 'peek');
    expect((await assess('198.51.100.7')).riskSignals).toEqual({});
    expect(peek).not.toHaveBeenCalled();
  });

  it('reads a profile once per cache period, and sees its own writes at once', async () => {
    const history = new InMemoryRiskHistoryStore();
    const load = jest.spyOn(history, 'loadRiskProfile');
    const { clock, assess, verifiedFrom } = setup({ cacheSeconds: 30 }, history);
    await assess('198.51.100.7');
    await assess('198.51.100.7');
    expect(load).toHaveBeenCalledTimes(1);
    await verifiedFrom('198.51.100.7'); // the lesson reads past the cache; its write replaces the entry
    clock.advance(5);
    expect((await assess('198.51.100.7', SAFARI_IPHONE)).riskSignals).toEqual({ newDevice: { family: 'Safari/iOS' } });
    expect(load).toHaveBeenCalledTimes(2);
    clock.advance(25);
    await assess('198.51.100.7');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('fails closed: a profile store that cannot be read throws, it never scores 0', async () => {
    const down = new InMemoryRiskHistoryStore();
    const error = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    jest.spyOn(down, 'loadRiskProfile').mockRejectedValue(error);
    const { assess, engine } = setup({}, down);
    await expect(assess('198.51.100.7')).rejects.toBe(error);
    await expect(assess('198.51.100.7')).rejects.toBe(error); // nothing was cached in between
    await expect(engine.lesson(alice, {}, true)).rejects.toBe(error);
  });

  it('reads only as much as the decision needs: nothing under the ceiling, no counter when history settles it', async () => {
    const history = new InMemoryRiskHistoryStore();
    const { clock, counters, engine, verifiedFrom } = setup({}, history);
    await verifiedFrom('198.51.100.7');
    const load = jest.spyOn(history, 'loadRiskProfile');
    const peek = jest.spyOn(counters, 'peek');
    const rule = { id: 'risky', when: { minRisk: 0.5 }, require: { any: true as const, maxAge: 60 } };
    const policy = compilePolicy({ services: { s1: {} }, rules: [rule] }, 1);
    const verified = [{ factor: 'totp' as const, verifiedAt: clock.now() - 30_000, eventId: 'e1' }];
    const evidence = { userId: alice.userId, groups: [], verified, grants: [] };
    const at = async (ip: string) =>
      engine.decisionContext(alice, await from(ip), policy, { service: 's1' }, evidence, clock.now());
    expect((await at('198.51.100.7')).riskSignals).toBeUndefined(); // verified within 60 s: no score could matter
    expect(load).not.toHaveBeenCalled();
    clock.advance(600);
    expect(await at('198.51.100.7')).toMatchObject({ risk: 0, riskSignals: {} }); // a burst (0.3) alone stays under 0.5
    expect(load).toHaveBeenCalledTimes(1);
    expect(peek).not.toHaveBeenCalled();
    expect(await at('2001:db8::5')).toMatchObject({ risk: 1, riskSignals: { newCountry: { country: 'FR' } } });
    expect(peek).toHaveBeenCalledTimes(1); // at stake now: the burst is looked up
  });

  it('assesses a context once: an assessed one comes back as it is', async () => {
    const { engine } = setup();
    const once = await engine.assess(alice, { risk: 0.4 });
    expect(await engine.assess(alice, once)).toBe(once);
  });
});
