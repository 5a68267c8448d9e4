// Invariant: the step-up never loops and never swallows an answer: a challenge that comes
// back after a successful verification is handed back, concurrent requests share one prompt,
// bodies survive the retry, and everything but MFA_REQUIRED reaches the caller untouched.
import {
  countdown,
  createMfaClient,
  MfaClientError,
  MfaLockedError,
  MfaUnavailableError,
  type FetchLike,
} from '../../src/client';

interface Sent {
  method: string;
  path: string;
  body: string;
  headers: Headers;
}

const challenge = (id = 'ch1', steps = 1) => ({
  id,
  expiresAt: '2026-01-01T12:10:00.000Z',
  requirement: { steps: Array.from({ length: steps }, () => ({ factors: ['totp'] })) },
  methods: [{ type: 'totp', enrollments: [] }],
  ruleId: 'route',
  policyVersion: 1,
});
const mfaRequired = (id = 'ch1') =>
  Response.json({ statusCode: 401, code: 'MFA_REQUIRED', message: 'MFA', challenge: challenge(id) }, { status: 401 });

/** A scripted server: `answer` sees each request; `sent` keeps them. */
function fakeServer(answer: (req: Sent, index: number) => Response | Promise<Response>) {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (input, init = {}) => {
    const request = new Request(input, init);
    const req = {
      method: request.method,
      path: new URL(request.url).pathname,
      body: await request.text(),
      headers: request.headers,
    };
    sent.push(req);
    return answer(req, sent.length - 1);
  };
  return { fetch, sent };
}

const totp = async () => ({ method: 'totp' as const, code: '123456' });
const base = 'http://app.test';

describe('client transport', () => {
  it('hands back a 500, an app 403 and a non-JSON 401 as the very same Response', async () => {
    for (const original of [
      new Response('boom', { status: 500 }),
      Response.json({ code: 'ADMIN_ONLY' }, { status: 403 }),
      new Response('<html>sign in</html>', { status: 401, headers: { 'content-type': 'text/html' } }),
    ]) {
      const onChallenge = jest.fn(totp);
      const server = fakeServer(() => original);
      const res = await createMfaClient({ baseUrl: base, fetch: server.fetch, onChallenge }).fetch('/x');
      expect(res).toBe(original);
      expect(res.bodyUsed).toBe(false);
      expect(onChallenge).not.toHaveBeenCalled();
    }
  });

  it('retries once: the same challenge after a successful verification is handed back, not prompted again', async () => {
    const server = fakeServer((req) =>
      req.path.endsWith('/verify') ? Response.json({ verified: true }) : mfaRequired('same'),
    );
    const onChallenge = jest.fn(totp);
    const res = await createMfaClient({ baseUrl: base, fetch: server.fetch, onChallenge }).fetch('/pay');

    expect(res.status).toBe(401);
    expect(onChallenge).toHaveBeenCalledTimes(1);
    expect(server.sent.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /pay',
      'POST /mfa/challenges/same/verify',
      'GET /pay',
    ]);
  });

  it('shares one prompt between requests that meet the same challenge at once', async () => {
    let verified = false;
    const server = fakeServer((req) => {
      if (req.path.endsWith('/verify')) return ((verified = true), Response.json({ verified: true }));
      return verified ? Response.json({ ok: req.path }) : mfaRequired('shared');
    });
    const onChallenge = jest.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { method: 'totp' as const, code: '123456' };
    });
    const mfa = createMfaClient({ baseUrl: base, fetch: server.fetch, onChallenge });
    const answers = await Promise.all(['/a', '/b', '/c'].map((p) => mfa.fetch(p).then((r) => r.json())));

    expect(answers).toEqual([{ ok: '/a' }, { ok: '/b' }, { ok: '/c' }]);
    expect(onChallenge).toHaveBeenCalledTimes(1);
    expect(server.sent.filter((s) => s.path.endsWith('/verify'))).toHaveLength(1);
  });

  it('sends the body again on the retry, from an init or a Request', async () => {
    for (const call of [
      (mfa: ReturnType<typeof createMfaClient>) => mfa.fetch('/transfer', { method: 'POST', body: '{"amount":5}' }),
      (mfa: ReturnType<typeof createMfaClient>) =>
        mfa.fetch(new Request(`${base}/transfer`, { method: 'POST', body: '{"amount":5}' })),
    ]) {
      const server = fakeServer((_req, i) => (i === 0 ? mfaRequired() : Response.json({ ok: true })));
      await call(createMfaClient({ baseUrl: base, fetch: server.fetch, onChallenge: totp }));
      expect(server.sent.filter((s) => s.path === '/transfer').map((s) => s.body)).toEqual([
        '{"amount":5}',
        '{"amount":5}',
      ]);
    }
  });

  it('adds the client headers without overriding the request’s own, and hands a renewed session over first', async () => {
    let token = 'old';
    const server = fakeServer((req, i) =>
      i === 0
        ? mfaRequired()
        : req.path.endsWith('/verify')
          ? Response.json({ session: { token: 'new' } })
          : new Response('ok'),
    );
    const mfa = createMfaClient({
      baseUrl: base,
      fetch: server.fetch,
      onChallenge: totp,
      headers: () => ({ authorization: `Bearer ${token}`, 'x-app': 'client' }),
      onSessionRenewed: (session) => void (token = String(session.token)),
    });
    await mfa.fetch('/x', { headers: { 'x-app': 'page' } });

    expect(server.sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer old', 'Bearer old', 'Bearer new']);
    expect(server.sent[0].headers.get('x-app')).toBe('page');
    expect(server.sent[1].headers.get('content-type')).toBe('application/json');
  });

  it('sends the app’s headers and credentials to its own origin only, never to a third party', async () => {
    const server = fakeServer(() => new Response('ok'));
    const seen: Array<RequestInit['credentials']> = [];
    const fetch: FetchLike = (input, init) => (seen.push(init?.credentials), server.fetch(input, init));
    const mfa = createMfaClient({
      baseUrl: base,
      fetch,
      credentials: 'include',
      headers: { authorization: 'Bearer T' },
    });
    await mfa.fetch('/mine');
    await mfa.fetch(`${base}/mine-too`);
    await mfa.fetch('https://cdn.third.example/data.json');
    await mfa.fetch(new Request('https://evil.example/x'));
    expect(server.sent.map((s) => s.headers.get('authorization'))).toEqual(['Bearer T', 'Bearer T', null, null]);
    expect(seen).toEqual(['include', 'include', undefined, undefined]);
  });

  it('hands back a 401 MFA_REQUIRED for a streamed body, which could not be sent again, without prompting', async () => {
    const server = fakeServer(() => mfaRequired());
    const onChallenge = jest.fn(totp);
    const mfa = createMfaClient({ baseUrl: base, fetch: server.fetch, onChallenge });
    const body = new Blob(['streamed']).stream();
    const res = await mfa.fetch('/upload', { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(401);
    expect(onChallenge).not.toHaveBeenCalled();
    expect(server.sent).toHaveLength(1);
  });

  it('lets one request bring its own onChallenge', async () => {
    const server = fakeServer((_req, i) => (i === 0 ? mfaRequired() : Response.json({})));
    const own = jest.fn(totp);
    const shared = jest.fn(totp);
    await createMfaClient({ baseUrl: base, fetch: server.fetch, onChallenge: shared }).fetch('/x', {
      onChallenge: own,
    });
    expect(own).toHaveBeenCalledTimes(1);
    expect(shared).not.toHaveBeenCalled();
  });

  it('types refusals: MFA_LOCKED with Retry-After, a 503, and a proxy page without a code', async () => {
    const answers = [
      Response.json(
        { statusCode: 429, code: 'MFA_LOCKED', message: 'Locked' },
        { status: 429, headers: { 'retry-after': '900' } },
      ),
      Response.json(
        { statusCode: 503, code: 'MFA_UNAVAILABLE', message: 'Down' },
        { status: 503, headers: { 'retry-after': '5' } },
      ),
      new Response('<h1>Bad gateway</h1>', { status: 502 }),
    ];
    const server = fakeServer((_req, i) => answers[i]);
    const mfa = createMfaClient({ baseUrl: base, fetch: server.fetch });
    const errors = [];
    for (let i = 0; i < answers.length; i++) errors.push(await mfa.devices.list().catch((e: unknown) => e));

    expect(errors[0]).toBeInstanceOf(MfaLockedError);
    expect(errors[0]).toMatchObject({ retryAfterSeconds: 900, status: 429, message: 'Locked' });
    expect(errors[1]).toBeInstanceOf(MfaUnavailableError);
    expect(errors[1]).toMatchObject({ retryAfterSeconds: 5 });
    expect(errors[2]).toBeInstanceOf(MfaClientError);
    expect(errors[2]).toMatchObject({ code: 'HTTP_502', status: 502, body: {} });
  });

  it('refuses to call a route with an empty id rather than reach another route', async () => {
    const server = fakeServer(() => Response.json({}));
    const mfa = createMfaClient({ baseUrl: base, fetch: server.fetch });
    await expect(mfa.devices.revoke('')).rejects.toThrow(TypeError);
    expect(server.sent).toEqual([]);
  });
});

describe('countdown', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2026, 0, 1, 12, 0, 0, 400) }));
  afterEach(() => jest.useRealTimers());

  it('ticks every whole second down to 0, then stops; the returned function stops it early', () => {
    const ticks: number[] = [];
    countdown(new Date(Date.UTC(2026, 0, 1, 12, 0, 3)), (s) => ticks.push(s));
    jest.advanceTimersByTime(10_000);
    expect(ticks).toEqual([3, 2, 1, 0]);

    const early: number[] = [];
    const stop = countdown(30, (s) => early.push(s));
    jest.advanceTimersByTime(1_000);
    stop();
    jest.advanceTimersByTime(5_000);
    expect(early).toEqual([30, 29]);
  });
});
