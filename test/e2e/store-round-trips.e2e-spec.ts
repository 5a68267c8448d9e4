// Invariant: a guarded request whose session already satisfies the policy costs at most one
// store round trip (none with the process-local session cache), and a right TOTP code two: the
// read of the challenge and one commit (one statement, compound statement or synchronous
// transaction, by dialect). Counted, not timed.
import { QueryCounter } from '../support/query-counter';
import { BACKENDS } from '../support/backends';
import { challengeFor, signIn, signInEnrolled, startTestApp, TestApp, totpAt } from '../support/test-app';

describe.each(BACKENDS.map((b) => [b.name, b] as const))('store round trips on %s', (_name, backend) => {
  let t: TestApp;
  const counter = new QueryCounter();
  afterEach(() => t.close());

  async function queriesFor(run: () => Promise<unknown>): Promise<number> {
    counter.count = 0;
    await run();
    return counter.count;
  }

  it.each([
    ['without the session cache', 0, 1],
    ['with the session cache', 60, 0],
  ])('a satisfied guarded request %s costs %#', async (_label, sessionCacheTtl, expected) => {
    t = await startTestApp(
      { ...backend, options: { ...backend.options, logging: ['query'], logger: counter } as never },
      'nest',
      { sessionCacheTtl },
    );
    const { agent } = await signInEnrolled(t);
    await agent.get('/payments').expect(200); // warms the policy and, when on, the cache
    expect(await queriesFor(() => agent.get('/payments').expect(200))).toBe(expected);
    expect(await queriesFor(() => agent.get('/profile/security').expect(200))).toBe(expected);
    const anonymous = await signIn(t, 'bob');
    expect(await queriesFor(() => anonymous.get('/wiki').expect(200))).toBe(0); // unmapped routes never touch the store
  });

  it('a right TOTP code costs two: the read of the challenge and one commit', async () => {
    // The built-in risk engine reads and writes its profile around a verification: off here.
    const options = { ...backend.options, logging: ['query'], logger: counter } as never;
    t = await startTestApp({ ...backend, options }, 'nest', { risk: { enabled: false } });
    const secrets = { alice: (await signInEnrolled(t, 'alice')).secret, bob: (await signInEnrolled(t, 'bob')).secret };
    const verify = async (username: 'alice' | 'bob') => {
      const agent = await signIn(t, username);
      const challengeId = await challengeFor(agent);
      const code = totpAt(secrets[username], t.clock);
      return queriesFor(() =>
        agent.post(`/mfa/challenges/${challengeId}/verify`).send({ method: 'totp', code }).expect(200),
      );
    };
    await verify('alice'); // warms what a process reads once (on MariaDB, which server it is)
    expect(await verify('bob')).toBe(2);
  });
});
