// Invariant: the environment's database URL and key list become the options the app itself
// would take, the last listed key current; anything unusable is a configuration refusal (exit 3).
import { randomBytes } from 'node:crypto';
import { databaseFromUrl, keysFromEnv, loadCliOptions } from './cli-config';
import { CliRefusal, EXIT } from './cli-context';

const key = randomBytes(32).toString('base64');

describe('CLI configuration from the environment', () => {
  it('reads each database URL form as TypeORM options', () => {
    expect(databaseFromUrl('postgres://u:p@db:5432/app')).toEqual({
      type: 'postgres',
      url: 'postgres://u:p@db:5432/app',
    });
    expect(databaseFromUrl('mysql://u@db/app')).toEqual({ type: 'mysql', url: 'mysql://u@db/app' });
    expect(databaseFromUrl('mariadb://u@db/app')).toEqual({ type: 'mariadb', url: 'mysql://u@db/app' });
    expect(databaseFromUrl('sqlite:data/mfa.sqlite')).toEqual({ type: 'better-sqlite3', database: 'data/mfa.sqlite' });
    expect(databaseFromUrl('./mfa.sqlite')).toEqual({ type: 'better-sqlite3', database: './mfa.sqlite' });
    expect(() => databaseFromUrl('mongodb://db/app')).toThrow(/not supported/);
  });

  it('takes the last listed key as current, in either form', () => {
    expect(keysFromEnv(`k1:${key}, k2:${key}`)).toEqual({
      keys: [
        { id: 'k1', key },
        { id: 'k2', key },
      ],
      currentKeyId: 'k2',
    });
    expect(keysFromEnv(JSON.stringify([{ id: 'a', key }]))).toEqual({ keys: [{ id: 'a', key }], currentKeyId: 'a' });
    expect(
      keysFromEnv(
        JSON.stringify({
          keys: [
            { id: 'a', key },
            { id: 'b', key },
          ],
          currentKeyId: 'a',
        }),
      ).currentKeyId,
    ).toBe('a');
  });

  it('refuses with EXIT.config and the variable to set when something is missing', async () => {
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e as CliRefusal,
      );
    const noDb = await refusal(loadCliOptions({ env: { MFA_ENCRYPTION_KEYS: `k1:${key}` } }));
    expect(noDb).toMatchObject({ code: 'CONFIG_NO_DATABASE', exitCode: EXIT.config });
    expect(noDb!.message).toContain('MFA_DATABASE_URL');
    const noKeys = await refusal(loadCliOptions({ env: { MFA_DATABASE_URL: 'sqlite:x.sqlite' } }));
    expect(noKeys).toMatchObject({ code: 'CONFIG_NO_KEYS', exitCode: EXIT.config });
    expect(() => keysFromEnv('just-a-key')).toThrow(CliRefusal);
    const flagWins = await loadCliOptions({
      databaseUrl: 'sqlite:flag.sqlite',
      env: { MFA_DATABASE_URL: 'sqlite:env.sqlite', MFA_ENCRYPTION_KEYS: `k1:${key}` },
    });
    expect(flagWins.database).toEqual({ type: 'better-sqlite3', database: 'flag.sqlite' });
  });
});
