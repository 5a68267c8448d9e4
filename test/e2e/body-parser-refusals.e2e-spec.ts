// Invariant: a body the parser refuses on an MFA route (too large, unsupported charset or content
// encoding, invalid JSON, bad gzip) is answered with MFA's envelope and the same status by both
// adapters, logged at most as one warn line without a stack or the body, and the host's other
// routes keep the host's own handling; OPTIONS on MFA's paths is the host's 404 on both.
import type { LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import type { App } from 'supertest/types';
import { ManualClock } from '../../libs/core/src';
import { createMfa } from '../../libs/express/src';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { FixtureAppModule, useSessions } from '../fixtures/nest-app.module';
import { BACKENDS } from '../support/backends';
import { CapturingAuditSink } from '../support/capturing-audit.sink';
import { startTestApp, TEST_KEY } from '../support/test-app';

interface LogLine {
  level: string;
  text: string;
}

/** The Nest logger, kept in memory: every line with whatever Nest passed along (a stack, a context). */
class CapturingLogger implements LoggerService {
  constructor(private readonly lines: LogLine[]) {}
  private keep(level: string, message: unknown, rest: unknown[]) {
    const text = [message, ...rest]
      .map((part) => (part instanceof Error ? `${part.message}\n${part.stack}` : String(part)))
      .join(' ');
    this.lines.push({ level, text });
  }
  log(message: unknown, ...rest: unknown[]) {
    this.keep('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.keep('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.keep('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.keep('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.keep('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.keep('fatal', message, rest);
  }
}

const CODE_IN_BODY = '480213';
const JSON_TYPE = 'application/json';

/** What a client may send that a body parser refuses before any MFA code runs. */
const REFUSED: {
  label: string;
  type: string;
  encoding?: string;
  body: string | Buffer;
  status: number;
  code: string;
}[] = [
  {
    label: 'invalid JSON',
    type: JSON_TYPE,
    body: `{"method":"totp","code":"${CODE_IN_BODY}"`,
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    label: 'a JSON string where strict JSON wants an object',
    type: JSON_TYPE,
    body: '"x"',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    label: 'a body over the size limit',
    type: JSON_TYPE,
    body: JSON.stringify({ label: 'x'.repeat(200_000) }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    label: 'an unsupported charset',
    type: `${JSON_TYPE}; charset=koi8-r`,
    body: '{}',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    label: 'an unsupported content encoding',
    type: JSON_TYPE,
    encoding: 'x-unknown',
    body: '{}',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    label: 'gzip that does not inflate',
    type: JSON_TYPE,
    encoding: 'gzip',
    body: Buffer.from('not gzip at all'),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    label: 'gzip cut short',
    type: JSON_TYPE,
    encoding: 'gzip',
    body: gzipSync('{"label":"Phone"}').subarray(0, 12),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
];

const PATHS = ['/mfa/totp/enrollments', '/mfa/challenges/x/verify', '/mfa/delivery/twilio/status'];

function send(http: App, path: string, refused: (typeof REFUSED)[number]) {
  const req = request(http).post(path).set('content-type', refused.type);
  if (refused.encoding) req.set('content-encoding', refused.encoding);
  return req.send(refused.body);
}

async function nestApp(lines: LogLine[], globalPrefix?: string) {
  const store = await TypeOrmMfaStore.connect(BACKENDS[0].options);
  const moduleRef = await Test.createTestingModule({
    imports: [
      FixtureAppModule.register({
        encryption: { keys: [{ id: 'k1', key: TEST_KEY }] },
        store,
        clock: new ManualClock(Date.UTC(2026, 0, 1)),
        audit: new CapturingAuditSink(),
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: new CapturingLogger(lines) });
  if (globalPrefix) app.setGlobalPrefix(globalPrefix);
  useSessions(app, 'test-session-secret');
  await app.init();
  return {
    http: app.getHttpServer() as App,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

/** An Express host that leaves parsing MFA's bodies to MFA's router, and parses its own after it. */
async function expressApp(version: 'express5' | 'express4') {
  const express = (version === 'express4' ? require('express4') : require('express')) as typeof import('express');
  const mfa = createMfa({
    express,
    encryption: { keys: [{ id: 'k1', key: TEST_KEY }] },
    database: BACKENDS[0].options,
    clock: new ManualClock(Date.UTC(2026, 0, 1)),
    audit: new CapturingAuditSink(),
  });
  await mfa.ready;
  const app = express();
  app.use(mfa.router);
  app.use(express.json());
  app.post('/host/echo', (req, res) => res.json(req.body));
  return { http: app as App, close: () => mfa.close() };
}

describe('body parser refusals on MFA routes', () => {
  const lines: LogLine[] = [];
  let nest: Awaited<ReturnType<typeof nestApp>>;
  let express5: Awaited<ReturnType<typeof expressApp>>;
  let express4: Awaited<ReturnType<typeof expressApp>>;
  beforeAll(async () => {
    nest = await nestApp(lines);
    express5 = await expressApp('express5');
    express4 = await expressApp('express4');
  });
  afterAll(async () => {
    await nest.close();
    await express5.close();
    await express4.close();
  });

  it.each(REFUSED.map((r) => [r.label, r] as const))(
    '%s: the envelope and status, alike on Nest, Express 5 and Express 4',
    async (_label, refused) => {
      for (const path of PATHS) {
        const answers = [];
        for (const http of [nest.http, express5.http, express4.http]) {
          const res = await send(http, path, refused);
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          expect(res.headers['cache-control']).toBe('no-store');
          answers.push({ status: res.status, body: res.body });
        }
        expect(answers[0].status).toBe(refused.status);
        expect(answers[0].body).toMatchObject({ statusCode: refused.status, code: refused.code });
        expect(answers[1]).toEqual(answers[0]);
        expect(answers[2]).toEqual(answers[0]);
      }
    },
  );

  it('Nest logs each refusal as one warn line: no ERROR, no stack, nothing of the body', async () => {
    lines.length = 0;
    for (const refused of REFUSED) await send(nest.http, '/mfa/challenges/x/verify', refused);
    expect(lines.filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(REFUSED.length);
    for (const line of warnings) {
      expect(line.text).toMatch(/^POST \/mfa\/challenges\/x\/verify: 4\d\d [A-Z_]+ \(/);
      expect(line.text).not.toMatch(/\n\s+at /);
      expect(line.text).not.toContain(CODE_IN_BODY);
    }
  });

  it("the host's own routes keep the host's handling", async () => {
    const nestLogin = await request(nest.http).post('/auth/login').set('content-type', JSON_TYPE).send('{"username":');
    expect(nestLogin.status).toBe(400);
    expect(nestLogin.body.code).toBeUndefined(); // Nest's own BadRequestException, not MFA's envelope
    for (const { http } of [express5, express4]) {
      const echo = await request(http).post('/host/echo').set('content-type', JSON_TYPE).send('{"x":');
      expect(echo.status).toBe(400);
      expect(echo.headers['content-type']).not.toMatch(/^application\/json/); // Express's own error page
    }
  });

  it('under a Nest global prefix, the refusal is answered on the prefixed path', async () => {
    const prefixed = await nestApp([], 'api');
    try {
      const res = await send(prefixed.http, '/api/mfa/totp/enrollments', REFUSED[0]);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    } finally {
      await prefixed.close();
    }
  });

  it("OPTIONS on an MFA path is the host's 404 on every adapter, with no Allow list of its own", async () => {
    const sampleExpress = await startTestApp(BACKENDS[0], 'express5');
    try {
      for (const http of [nest.http, express5.http, express4.http, sampleExpress.http]) {
        for (const path of ['/mfa/enrollments', '/mfa/challenges/x/verify', '/mfa/admin/audit']) {
          const res = await request(http).options(path);
          expect(res.status).toBe(404);
          expect(res.headers.allow).toBeUndefined();
        }
      }
    } finally {
      await sampleExpress.close();
    }
  });
});
