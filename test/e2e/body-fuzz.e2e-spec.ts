// Invariant: no request body or query string a client can send (wrong types, huge or odd strings,
// deep nesting, prototype keys, NUL and right-to-left characters, wrong content types or encodings,
// invalid JSON) makes an MFA endpoint answer 5xx or drop the connection, for a password-only user
// or a verified one; a malformed body is the client's error, never an outage. MFA then still
// verifies a real TOTP code.
import fc from 'fast-check';
import { createServer, RequestListener, Server } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import TestAgent from 'supertest/lib/agent';
import { BACKENDS } from '../support/backends';
import { ADAPTERS, challengeFor, signIn, signInEnrolled, startTestApp, TestApp, totpAt } from '../support/test-app';

const SEED = 20260101;
const BODIES_PER_AGENT = 600;
const QUERIES_PER_AGENT = 100;

/** One request as sent on the wire. */
interface Shot {
  label: string;
  body: string | Buffer;
  type?: string;
  encoding?: string;
}

// Every MFA endpoint that reads a body, as the Express router and the Nest controllers list them.
const BODY_ENDPOINTS: ['post' | 'patch', string][] = [
  ['post', '/mfa/challenges/:challenge/verify'],
  ['post', '/mfa/challenges/:challenge/send'],
  ['post', '/mfa/sms/enrollments'],
  ['post', '/mfa/email/enrollments'],
  ['post', '/mfa/sms/enrollments/:enrollment/confirm'],
  ['post', '/mfa/email/enrollments/:enrollment/confirm'],
  ['patch', '/mfa/enrollments/:enrollment'],
  ['post', '/mfa/recovery/redeem'],
  ['post', '/mfa/totp/enrollments'],
  ['post', '/mfa/totp/enrollments/:enrollment/confirm'],
  ['post', '/mfa/admin/policy/versions'],
  ['post', '/mfa/admin/policy/explain'],
  ['post', '/mfa/admin/users/u-fuzz/recovery-tickets'],
  ['post', '/mfa/delivery/twilio/status'],
];
// And every one that reads a query string.
const QUERY_ENDPOINTS = ['/mfa/admin/audit', '/mfa/delivery/vonage/status'];

const FIELDS = [
  'method',
  'code',
  'label',
  'phone',
  'email',
  'enrollmentId',
  'rememberDevice',
  'ticket',
  'reason',
  'ttlHours',
  'document',
  'comment',
  'userId',
  'groups',
  'target',
  'context',
  'service',
  'operation',
  'sensitivity',
  'requirement',
  'factors',
  'maxAge',
  'country',
  'risk',
  'rules',
  'services',
  'type',
  'from',
  'to',
  'limit',
  'cursor',
];
const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
];
const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '123456\u0000',
  '\u202Eevil\u202C',
  'Work\u200Fphone',
  '\u2066x\u2069',
  '\uD800',
  '\uDFFF\uD800',
  '\uFEFF',
  'e\u0301',
  '💥'.repeat(40),
  'x'.repeat(65),
  'x'.repeat(5_000),
  '1e400',
  '-0',
  'NaN',
  'Infinity',
  'null',
  'true',
  '[object Object]',
  '${7*7}',
  "'; DROP TABLE mfa_enrollments; --",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '+905321234567',
  'a@b.co',
  'totp',
  'backup_code',
  '123456',
];

/** A JSON value written out by hand, so keys such as `__proto__` reach the wire as plain keys. */
type Tree = { leaf: string } | { list: Tree[] } | { entries: [string, Tree][] };

function write(tree: Tree): string {
  if ('leaf' in tree) return tree.leaf;
  if ('list' in tree) return `[${tree.list.map(write).join(',')}]`;
  return `{${tree.entries.map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`).join(',')}}`;
}

const key = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FIELDS) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);
const leaf = fc.oneof(
  fc.constantFrom(...ODD_STRINGS).map((s) => JSON.stringify(s)),
  fc.string({ unit: 'binary', maxLength: 80 }).map((s) => JSON.stringify(s)),
  fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })).map((n) => JSON.stringify(n)),
  fc.constantFrom('true', 'false', 'null', '1e400', '-0', '0.1e-999', '123456', '99999999999999999999999'),
);
const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf.map((l): Tree => ({ leaf: l })),
    fc.array(tie('tree'), { maxLength: 4 }).map((list): Tree => ({ list })),
    fc.array(fc.tuple(key, tie('tree')), { maxLength: 5 }).map((entries): Tree => ({ entries })),
  ),
}));
const objectBody = fc.array(fc.tuple(key, tree), { minLength: 0, maxLength: 6 }).map((entries) => write({ entries }));

// A lone surrogate has no UTF-8 form: it goes on the wire as U+FFFD, as a browser would send it.
const enc = (s: string) => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));

const json =
  (label: string) =>
  (body: string): Shot => ({ label, body, type: 'application/json' });

function nested(field: string, depth: number, open: string, close: string): string {
  return `{${JSON.stringify(field)}:${open.repeat(depth)}1${close.repeat(depth)}}`;
}

const deep = fc
  .tuple(fc.constantFrom(...FIELDS, ...PROTOTYPE_KEYS), fc.constantFrom(31, 32, 33, 100, 2_000, 10_000), fc.boolean())
  .map(([field, depth, arrays]): Shot =>
    json(`nested ${depth} deep`)(arrays ? nested(field, depth, '[', ']') : nested(field, depth, '{"a":', '}')),
  );

const huge = fc
  .tuple(
    fc.constantFrom('label', 'code', 'document', 'x'),
    fc.constantFrom(30_000, 60_000, 70_000, 120_000, 300_000),
    fc.constantFrom('x', 'é', '💥', '\u0000', '\u202E'),
  )
  .map(([field, size, unit]): Shot =>
    json(`a ${size}-character ${field}`)(JSON.stringify({ [field]: unit.repeat(size / unit.length) })),
  );

const notAnObject = fc
  .oneof(tree.filter((t) => !('entries' in t)).map(write), fc.constantFrom('[]', '""', '0', 'null', 'true', '"{}"'))
  .map(json('JSON that is not an object'));

const invalidJson = fc
  .tuple(objectBody, fc.nat(), fc.constantFrom('', '{', '}', ',', '"', ':', '\\', '\u0000', 'NaN', "'", '\uFEFF', '\n'))
  .map(([body, at, insert]) => {
    const cut = at % (body.length + 1);
    return `${body.slice(0, cut)}${insert}${body.slice(cut + (at % 3))}`;
  })
  .map(json('JSON, mangled'));

const notJsonTypes = fc
  .tuple(
    objectBody,
    fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/merge-patch+json',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset=koi8-r',
      'application/json; charset=utf-8',
      'application/*',
      '*/*',
      '',
      'application/json, text/plain',
    ),
  )
  .map(([body, type]): Shot => ({ label: `as ${type || 'no content type'}`, body, type }));

const forms = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        ...FIELDS,
        ...PROTOTYPE_KEYS,
        'code[constructor]',
        '__proto__[x]',
        'a[b][c][d][e][f][g]',
        'code[]',
      ),
      fc.constantFrom(...ODD_STRINGS.slice(0, 12)),
    ),
    { maxLength: 6 },
  )
  .map((pairs): Shot => ({
    label: 'form data',
    body: pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'),
    type: 'application/x-www-form-urlencoded',
  }));

const encoded = fc
  .tuple(
    objectBody,
    fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'identity', 'gzip, deflate', 'x-unknown'),
    fc.constantFrom('valid', 'garbage', 'truncated'),
  )
  .map(([body, encoding, how]): Shot => {
    const packed = encoding === 'deflate' ? deflateSync(body) : gzipSync(body);
    const wire =
      how === 'valid'
        ? packed
        : how === 'truncated'
          ? packed.subarray(0, Math.max(1, packed.length >> 1))
          : Buffer.from(body);
    return { label: `${how} ${encoding}`, body: wire, type: 'application/json', encoding };
  });

const SHOTS: Shot[] = fc.sample(
  fc.oneof(
    { weight: 8, arbitrary: objectBody.map(json('an object of odd fields')) },
    { weight: 2, arbitrary: deep },
    { weight: 1, arbitrary: huge },
    { weight: 1, arbitrary: notAnObject },
    { weight: 3, arbitrary: invalidJson },
    { weight: 2, arbitrary: notJsonTypes },
    { weight: 1, arbitrary: forms },
    { weight: 2, arbitrary: encoded },
  ),
  { seed: SEED, numRuns: BODIES_PER_AGENT },
);

const QUERIES: string[] = fc.sample(
  fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('userId', 'type', 'from', 'to', 'limit', 'cursor', ...PROTOTYPE_KEYS),
          fc.constantFrom(
            'userId[__proto__]',
            'limit[]',
            'type[constructor][x]',
            'a[b][c][d][e][f][g][h]',
            'userId[0]',
          ),
        ),
        fc.oneof(
          fc.constantFrom(...ODD_STRINGS.slice(0, 24)),
          fc.constantFrom('2026-13-45T00:00:00Z', '1'.repeat(20), '0', '201', '1:x', '%E0%A4%A', '%00', '%'),
        ),
        fc.boolean(),
      ),
      { maxLength: 6 },
    )
    .map((pairs) => pairs.map(([k, v, raw]) => (raw ? `${k}=${v}` : `${enc(k)}=${enc(v)}`)).join('&')),
  { seed: SEED + 1, numRuns: QUERIES_PER_AGENT },
);

interface Failure {
  request: string;
  shot: string;
  outcome: string;
}

describe.each(ADAPTERS.map((a) => [a] as const))('body fuzz on sqlite via %s', (adapter) => {
  let t: TestApp;
  let server: Server;
  beforeAll(async () => {
    t = await startTestApp(BACKENDS[0], adapter);
    // One listening server for every request: supertest would open and close one per request.
    server = typeof t.http === 'function' ? createServer(t.http as RequestListener) : (t.http as Server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    if (server.listening) await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it(`${2 * BODIES_PER_AGENT} bodies and ${2 * QUERIES_PER_AGENT} query strings: no 5xx, no dropped connection, and a real TOTP code still verifies`, async () => {
    const live = { ...t, http: server };
    const alice = await signInEnrolled(live, 'alice');
    const verified = await signIn(live, 'alice');
    const challenge = await challengeFor(verified);
    await verified
      .post(`/mfa/challenges/${challenge}/verify`)
      .send({ method: 'totp', code: totpAt(alice.secret, t.clock) })
      .expect(200);
    const pending = (await verified.post('/mfa/totp/enrollments').send({ label: 'Spare' }).expect(201)).body
      .enrollmentId as string;
    const passwordOnly = await signIn(live, 'bob');

    const failures: Failure[] = [];
    const note = (request: string, shot: string, outcome: string) => failures.push({ request, shot, outcome });
    const agents: [string, TestAgent, Record<string, string>][] = [
      ['bob (password only)', passwordOnly, { challenge: 'no-such-challenge', enrollment: 'no-such-enrollment' }],
      ['alice (enrolled, verified)', verified, { challenge, enrollment: pending }],
    ];
    for (const [who, agent, ids] of agents) {
      for (const [i, shot] of SHOTS.entries()) {
        // The two agents send the same shot to different endpoints.
        const [method, template] = BODY_ENDPOINTS[(i + (who.startsWith('bob') ? 0 : 7)) % BODY_ENDPOINTS.length];
        const path = template.replace(/:(challenge|enrollment)/, (_m, id: string) => ids[id]);
        const req = agent[method](path);
        if (shot.type !== undefined) req.set('content-type', shot.type);
        if (shot.encoding) req.set('content-encoding', shot.encoding);
        try {
          const res = await req.send(shot.body);
          if (res.status >= 500)
            note(`${who}: ${method.toUpperCase()} ${path}`, shot.label, `${res.status} ${res.text.slice(0, 200)}`);
        } catch (err) {
          note(`${who}: ${method.toUpperCase()} ${path}`, shot.label, `connection: ${(err as Error).message}`);
        }
      }
      for (const [i, query] of QUERIES.entries()) {
        const path = `${QUERY_ENDPOINTS[i % QUERY_ENDPOINTS.length]}?${query}`;
        try {
          const res = await agent.get(path);
          if (res.status >= 500) note(`${who}: GET ${path}`, 'query', `${res.status} ${res.text.slice(0, 200)}`);
        } catch (err) {
          note(`${who}: GET ${path}`, 'query', `connection: ${(err as Error).message}`);
        }
      }
    }
    expect({ count: failures.length, first: failures.slice(0, 10) }).toEqual({ count: 0, first: [] });

    // Locks from thousands of wrong codes expire (a day at most); MFA itself must still work.
    t.clock.advance(2 * 86_400 + 1);
    const fresh = await signIn(live, 'alice');
    const id = await challengeFor(fresh);
    const res = await fresh
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'totp', code: totpAt(alice.secret, t.clock) });
    expect(res.status).toBe(200);
    expect(res.body.verified).toBe(true);
  }, 90_000); // 1,400 requests one after another: room for a loaded CI machine
});
