import { ManualClock } from '../clock/clock';
import { InMemoryCounterStore } from '../counters/in-memory-counter.store';
import { ACCOUNT_CHANNEL, lockoutKeys } from '../lockout/attempt-limiter';
import type { RequestContext } from '../policy/request-context';
import type { GeoIpResolver, GeoLocation, RiskHistoryStore } from '../ports/risk-history.port';
import { compilePolicy } from '../policy/compile-policy';
import { decide } from '../policy/decide';
import { InMemoryRiskHistoryStore } from './in-memory-risk-history.store';
import { RiskEngine } from './risk-engine';
import { resolveRisk, RiskOptions } from './risk.options';

// Each signal, driven by the injected clock (never a sleep) and a GeoIP fake that maps
// documentation addresses to places, the way the HTTP layer fills `context.client`.
const PLACES: Record<string, GeoLocation> = {
  '198.51.100.7': { country: 'DE', latitude: 52.52, longitude: 13.405, accuracyKm: 20 }, // Berlin
  '198.51.100.8': { country: 'DE', latitude: 48.137, longitude: 11.575, accuracyKm: 20 }, // Munich
  '203.0.113.9': { country: 'JP', latitude: 35.68, longitude: 139.76, accuracyKm: 20 }, // Tokyo
  '2001:db8::5': { country: 'FR', latitude: 48.857, longitude: 2.352, accuracyKm: 20 }, // Paris
};
const geo: GeoIpResolver = (ip) => PLACES[ip];
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/604.1';
const alice = { userId: 'u-alice' };

async function from(ip: string, userAgent = FIREFOX_LINUX): Promise<RequestContext> {
  const place = await geo(ip);
  const { country, ...coordinates } = place ?? {};
  return { ...(country && { country }), client: { ip, userAgent, ...coordinates } };
}

function setup(options: RiskOptions = {}, history: RiskHistoryStore = new InMemoryRiskHistoryStore()) {
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 12, 0, 0));
  const counters = new InMemoryCounterStore();
  const engine = new RiskEngine({ risk: resolveRisk(options), riskHistory: history, counters, clock });
  const assess = async (ip: string, userAgent?: string) => engine.assess(alice, await from(ip, userAgent));
  // What a verification does: the lesson before the code is checked, stored once it is committed.
  const learn = async (context: RequestContext) => engine.remember(await engine.lesson(alice, context, true));
  const verifiedFrom = async (ip: string, userAgent?: string) => learn(await from(ip, userAgent));
  return { clock, counters, engine, history, assess, learn, verifiedFrom };
}

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

describe('RiskEngine lessons: what a verified request teaches, and the baseline it leaves', () => {
  it('scores the baseline after learning: the new country and the trip there no longer count', async () => {
    const { clock, engine, verifiedFrom, assess } = setup();
    await verifiedFrom('198.51.100.7'); // Berlin
    clock.advance(3600);
    const paris = await from('2001:db8::5');
    expect((await engine.assess(alice, paris)).risk).toBe(0.5); // what the challenge was answered at
    const lesson = await engine.lesson(alice, paris, true);
    expect(lesson.context).toMatchObject({ risk: 0, riskSignals: {} }); // the baseline: nothing left unusual
    expect(await engine.remember(lesson)).toBe(true);
    expect((await assess('2001:db8::5')).risk).toBe(0);
  });

  it('keeps in the baseline what persists: an untrusted network, the host signal', async () => {
    const { engine, verifiedFrom } = setup({ untrustedIps: ['2001:db8::/32'] });
    await verifiedFrom('198.51.100.7');
    const lesson = await engine.lesson(alice, { ...(await from('2001:db8::5')), risk: 0.1 }, true);
    expect(lesson.context).toMatchObject({ risk: 0.7, riskSignals: { untrustedIp: true, hostSignal: 0.1 } });
  });

  it('leaves the context as it came when no policy reads risk (only learning)', async () => {
    const { engine } = setup({ enabled: true });
    const context = { ...(await from('198.51.100.7')), risk: 0.2 };
    expect((await engine.lesson(alice, context, false)).context).toBe(context);
  });

  it('writes nothing when the profile was reset after the lesson read it, and forgets its cached copy', async () => {
    const history = new InMemoryRiskHistoryStore();
    const { clock, engine, verifiedFrom, assess } = setup({}, history);
    await verifiedFrom('198.51.100.7');
    clock.advance(60);
    const lesson = await engine.lesson(alice, await from('203.0.113.9'), true);
    await history.forgetRiskProfile(alice.userId); // an admin's reset, on another instance
    expect(await engine.remember(lesson)).toBe(false);
    expect(await history.loadRiskProfile(alice.userId)).toBeUndefined();
    expect((await assess('203.0.113.9')).riskSignals).toEqual({}); // read again: a first sign-in
  });
});

describe('the in-memory history store', () => {
  it('writes only over the profile a lesson was learned from', async () => {
    const store = new InMemoryRiskHistoryStore();
    const profile = (updatedAt: number) => ({ userId: 'u', deviceFamilies: {}, countries: {}, hours: [], updatedAt });
    expect(await store.saveRiskProfile(profile(1), null)).toBe(true);
    expect(await store.saveRiskProfile(profile(2), null)).toBe(false); // one exists now
    expect(await store.saveRiskProfile(profile(2), 7)).toBe(false); // not the one stored
    expect(await store.saveRiskProfile(profile(2), 1)).toBe(true);
    await store.forgetRiskProfile('u');
    expect(await store.saveRiskProfile(profile(3), 2)).toBe(false); // a reset stays a reset
    expect(await store.loadRiskProfile('u')).toBeUndefined();
  });
});

describe('RiskEngine: a request with no country', () => {
  it('raises unknownCountry once the user has verified from a country, and not before', async () => {
    const { engine, learn } = setup();
    const nowhere = { client: { ip: '192.0.2.1', userAgent: FIREFOX_LINUX } }; // XX, T1, or not in GeoIP
    expect((await engine.assess(alice, nowhere)).riskSignals).toEqual({}); // first sign-in: nothing to compare
    await learn({ ...nowhere, country: 'DE' });
    expect(await engine.assess(alice, nowhere)).toMatchObject({ risk: 0.5, riskSignals: { unknownCountry: true } });
    expect((await engine.assess(alice, { ...nowhere, country: 'DE' })).riskSignals).toEqual({});
    const hook = await engine.assess(alice, { ...nowhere, country: 'xx' }); // a location hook passing the edge's on
    expect(hook.riskSignals).toEqual({ unknownCountry: true });
  });

  it('scores no lower than a new country would, and never teaches "unknown" as a place', async () => {
    const { engine, learn } = setup();
    await learn({ country: 'DE', client: { userAgent: FIREFOX_LINUX } });
    const hidden = await engine.assess(alice, { client: { userAgent: FIREFOX_LINUX } });
    const honest = await engine.assess(alice, { country: 'AT', client: { userAgent: FIREFOX_LINUX } });
    expect(hidden.risk).toBeGreaterThanOrEqual(honest.risk!);
    const lesson = await engine.lesson(alice, { client: { userAgent: FIREFOX_LINUX } }, true);
    expect(lesson.context.riskSignals).toEqual({ unknownCountry: true }); // verified once, asked once per session
    expect(Object.keys(lesson.profile.countries)).toEqual(['DE']);
  });
});

describe('RiskEngine ceiling: the fast path computes what it can in memory', () => {
  const verified = (clock: ManualClock, risk: number) => ({
    userId: alice.userId,
    groups: [],
    verified: [{ factor: 'totp' as const, verifiedAt: clock.now(), eventId: 'e1', baseline: { risk } }],
    grants: [],
  });
  const continuous = compilePolicy({ continuous: { riskIncrease: 0.3 }, services: { s1: { require: 'any' } } }, 1);

  it('with a cached profile, assumes only the failure count: riskIncrease keeps the fast path', async () => {
    const { clock, engine, verifiedFrom } = setup();
    await verifiedFrom('198.51.100.7');
    const home = engine.ceiling(alice, await from('198.51.100.7'));
    expect(home.risk).toBe(0.3); // the failure burst, which only a counter read could rule out
    expect(decide(continuous, { service: 's1' }, home, verified(clock, 0), clock.now()).outcome).toBe('allow');
    const phone = engine.ceiling(alice, await from('198.51.100.7', SAFARI_IPHONE));
    expect(phone.risk).toBe(0.6); // the new device is known from the cached profile, the rest not assumed
  });

  it('without one, assumes every history signal', async () => {
    const { clock, engine } = setup();
    const cold = engine.ceiling(alice, await from('198.51.100.7'));
    expect(cold.risk).toBe(1);
    expect(decide(continuous, { service: 's1' }, cold, verified(clock, 0), clock.now()).outcome).toBe('challenge');
  });

  it('matches a static untrusted list itself, and assumes a callback fires', async () => {
    const list = setup({ untrustedIps: ['203.0.113.0/24'] });
    await list.verifiedFrom('198.51.100.7');
    expect(list.engine.ceiling(alice, await from('198.51.100.7')).risk).toBe(0.3);
    const callback = setup({ untrustedIps: () => false });
    await callback.verifiedFrom('198.51.100.7');
    expect(callback.engine.ceiling(alice, await from('198.51.100.7')).risk).toBe(0.9);
  });
});

describe('RiskEngine and a report-only version', () => {
  const plain = compilePolicy({ services: { s1: { require: 'none' } } }, 1);
  const candidate = compilePolicy(
    { services: { s1: { require: 'none' } }, rules: [{ id: 'r', when: { minRisk: 0.5 }, require: 'any' }] },
    2,
  );
  const nobody = { userId: alice.userId, groups: [], verified: [], grants: [] };

  it('assesses while only the report-only version reads risk, so its report sees the real score', async () => {
    const { clock, engine, verifiedFrom } = setup();
    expect(engine.assesses(plain)).toBe(false);
    expect(engine.assesses(plain, candidate)).toBe(true);
    expect(engine.learns(plain, candidate)).toBe(true);
    await verifiedFrom('198.51.100.7');
    clock.advance(86_400);
    const paris = await from('2001:db8::5');
    const decided = await engine.decisionContext(
      alice,
      paris,
      plain,
      { service: 's1' },
      nobody,
      clock.now(),
      candidate,
    );
    expect(decided).toMatchObject({ risk: 0.5, riskSignals: { newCountry: { country: 'FR' } } });
  });

  it('never refuses a request because a read only the report needed failed', async () => {
    const down = new InMemoryRiskHistoryStore();
    jest.spyOn(down, 'loadRiskProfile').mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    const { clock, engine } = setup({}, down);
    const stderr = jest.spyOn(process.stderr, 'write').mockReturnValue(true);
    const paris = await from('2001:db8::5');
    await expect(
      engine.decisionContext(alice, paris, plain, { service: 's1' }, nobody, clock.now(), candidate),
    ).resolves.toBe(paris);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('ECONNREFUSED'));
    stderr.mockRestore();
    await expect(
      engine.decisionContext(alice, paris, candidate, { service: 's1' }, nobody, clock.now(), plain),
    ).rejects.toThrow('ECONNREFUSED'); // the enforced one needs it: closed
  });
});
