// Invariant: a missing or short encryption key stops boot with a message that says how to fix it.
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { MfaModule } from '../../libs/nest/src';

describe('module boot', () => {
  it.each([
    ['missing', undefined, /needs an encryption key.*randomBytes\(32\)/],
    [
      'short',
      { keys: [{ id: 'k1', key: randomBytes(16).toString('base64') }] },
      /must be 32 bytes, written as base64.*got 16 bytes reading it as base64/,
    ],
  ])('%s key → MfaConfigurationError', async (_label, encryption, message) => {
    const boot = Test.createTestingModule({
      imports: [
        MfaModule.forRoot({
          encryption: encryption as never,
          database: { type: 'better-sqlite3', database: ':memory:' },
        }),
      ],
    }).compile();
    await expect(boot).rejects.toThrow(message);
    await expect(boot).rejects.toMatchObject({ name: 'MfaConfigurationError' });
  });

  it('an invalid policy in the options stops boot, naming the path', async () => {
    const boot = Test.createTestingModule({
      imports: [
        MfaModule.forRoot({
          encryption: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] },
          database: { type: 'better-sqlite3', database: ':memory:' },
          policy: { rules: [{ id: 'r', require: { factor: 'totp', maxAge: -1 } }] } as never,
        }),
      ],
    }).compile();
    await expect(boot).rejects.toThrow(/\$\.rules\[0\]\.require\.maxAge/);
  });

  it('boots on the embedded default and serves the MFA routes under a custom prefix', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        MfaModule.forRootAsync({
          routePrefix: '/security/mfa/',
          useFactory: async () => ({
            encryption: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] },
            database: { type: 'better-sqlite3', database: ':memory:' },
          }),
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const res = await request(app.getHttpServer()).get('/security/mfa/enrollments').expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    await app.close();
  });
});
