import type { DataSourceOptions } from 'typeorm';
import { MfaConfigurationError, MfaStoreConnectionError } from '../../core/src';
import { isTransientStoreError, storeAddress, storeConnectionError } from './store-connection.errors';

const driverError = (message: string, code?: string) => Object.assign(new Error(message), { code });
const pg = (url: string) => ({ type: 'postgres', url }) as DataSourceOptions;

describe('store connection errors', () => {
  it('names the store by kind, host, port and database, never by its credentials', () => {
    expect(storeAddress(pg('postgres://app:s3cret@db.internal/mfa?password=s3cret'))).toBe(
      'postgres://db.internal:5432/mfa',
    );
    expect(storeAddress({ type: 'mysql', host: 'db', username: 'root', password: 's3cret', database: 'mfa' })).toBe(
      'mysql://db:3306/mfa',
    );
    expect(storeAddress({ type: 'better-sqlite3', database: 'mfa.sqlite' })).toBe('better-sqlite3:mfa.sqlite');
    expect(storeAddress(pg('postgres://app:s3cret@[not a url'))).not.toContain('s3cret');
  });

  it('retries an unreachable or starting database, not a refusal waiting cannot fix', () => {
    expect(isTransientStoreError(driverError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isTransientStoreError(driverError('getaddrinfo EAI_AGAIN db', 'EAI_AGAIN'))).toBe(true);
    expect(isTransientStoreError(driverError('the database system is starting up', '57P03'))).toBe(true);
    expect(
      isTransientStoreError(new AggregateError([driverError('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], '')),
    ).toBe(true);
    expect(isTransientStoreError(driverError('password authentication failed for user "app"', '28P01'))).toBe(false);
    expect(
      isTransientStoreError(driverError("Access denied for user 'app'@'10.0.0.2'", 'ER_ACCESS_DENIED_ERROR')),
    ).toBe(false);
    expect(isTransientStoreError(new MfaConfigurationError('no'))).toBe(false);
  });

  it('says where, quotes the driver, and says what to set, without the password', () => {
    const err = storeConnectionError(
      driverError('could not log in with s3cret', '28P01'),
      pg('postgres://app:s3cret@db:5432/mfa'),
    );
    expect(err).toBeInstanceOf(MfaStoreConnectionError);
    expect(err).toBeInstanceOf(MfaConfigurationError);
    expect(err.name).toBe('MfaStoreConnectionError');
    expect(err.message).toContain(
      'nestjs-mfa could not open its store at postgres://db:5432/mfa (could not log in with ***)',
    );
    expect(err.message).toContain("database: { type: 'postgres', url: 'postgres://USER:PASSWORD@HOST:5432/DB' }");
    expect(err.message).not.toContain('s3cret');
  });

  it('points at an unset URL, the usual cause of a login without a user', () => {
    const err = storeConnectionError(driverError('no PostgreSQL user name specified in startup packet', '28000'), {
      type: 'postgres',
      url: undefined,
    });
    expect(err.message).toMatch(
      /^nestjs-mfa could not open its store at postgres:\/\/localhost:5432\/ \(no PostgreSQL user name specified in startup packet\)\. Neither `url` nor `host` was given/,
    );
  });

  it('explains an empty AggregateError and how long boot kept trying', () => {
    const aggregate = Object.assign(
      new AggregateError(
        [driverError('connect ECONNREFUSED ::1:5432'), driverError('connect ECONNREFUSED 127.0.0.1:5432')],
        '',
      ),
      { code: 'ECONNREFUSED' },
    );
    const err = storeConnectionError(aggregate, pg('postgres://localhost/mfa'), { retriedMs: 30_000 });
    expect(err.message).toMatch(
      /could not reach its store at postgres:\/\/localhost:5432\/mfa \(connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432\), still after 30s of retries/,
    );
    expect(err.message).toContain('databaseConnectRetry');
  });

  it('turns a missing driver into an install command and passes our own boot errors through', () => {
    const missing = Object.assign(
      new Error('Postgres package has not been found installed. Please run "npm install pg".'),
      { name: 'DriverPackageNotInstalledError' },
    );
    expect(storeConnectionError(missing, pg('postgres://db/mfa')).message).toBe(
      "nestjs-mfa's store at postgres://db:5432/mfa needs the `pg` package: run `npm install pg`.",
    );
    const own = new MfaConfigurationError('The DataSource given to nestjs-mfa is not initialized');
    expect(storeConnectionError(own, pg('postgres://db/mfa'))).toBe(own);
  });
});
