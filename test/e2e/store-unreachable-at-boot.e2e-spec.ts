// Invariant: when MFA's own store cannot be opened at boot, boot fails with MfaStoreConnectionError
// naming the database kind and address, quoting the driver and saying what to set — never a
// password. An unreachable database is retried for a bounded time; a refusal fails at once.
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import type { DataSourceOptions } from 'typeorm';
import { MfaStoreConnectionError } from '../../libs/core/src';
import { createMfa } from '../../libs/express/src';
import type { MfaOptions } from '../../libs/setup/src';
import { MfaModule } from '../../libs/nest/src';
import { TcpProxy } from '../support/tcp-proxy';

const PASSWORD = 'hunter2-do-not-print';
const encryption = { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] };

type Boot = (options: MfaOptions) => Promise<() => Promise<void>>;
const BOOTS: [string, Boot][] = [
  [
    'MfaModule.forRoot',
    async (options) => {
      const moduleRef = await Test.createTestingModule({ imports: [MfaModule.forRoot(options)] }).compile();
      return () => moduleRef.close();
    },
  ],
  [
    'createMfa().ready',
    async (options) => {
      const mfa = createMfa(options);
      await mfa.ready;
      return () => mfa.close();
    },
  ],
];

/** Every retry line boot writes to stderr, kept out of the test output; other output passes. */
function captureRetryLines(onLine: () => void = () => undefined): string[] {
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr) as (chunk: string | Uint8Array) => boolean;
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    if (!String(chunk).includes('retrying in')) return write(chunk);
    lines.push(String(chunk));
    onLine();
    return true;
  });
  return lines;
}

/** A loopback port nothing listens on: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

afterEach(() => jest.restoreAllMocks());

describe.each(BOOTS)('store unreachable at boot via %s', (_adapter, boot) => {
  it.each(['postgres', 'mysql'] as const)(
    'a closed %s port: retried for the bound, then our error without the password',
    async (kind) => {
      const port = await closedPort();
      const lines = captureRetryLines();
      const database = { type: kind, url: `${kind}://app:${PASSWORD}@127.0.0.1:${port}/mfa` } as DataSourceOptions;
      const failure = await boot({
        encryption,
        database,
        databaseConnectRetry: { timeoutMs: 700, maxDelayMs: 200 },
      }).catch((err: Error) => err);

      expect(failure).toBeInstanceOf(MfaStoreConnectionError);
      const { name, message } = failure as MfaStoreConnectionError;
      expect(name).toBe('MfaStoreConnectionError');
      expect(message).toContain(
        `nestjs-mfa could not reach its store at ${kind}://127.0.0.1:${port}/mfa (connect ECONNREFUSED 127.0.0.1:${port}), still after`,
      );
      expect(message).toContain(`database: { type: '${kind}', url: '${kind}://USER:PASSWORD@HOST:`);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines[0]).toMatch(
        new RegExp(
          `^nestjs-mfa: store ${kind}://127\\.0\\.0\\.1:${port}/mfa unreachable \\(ECONNREFUSED\\), retrying in \\d+ms\\n$`,
        ),
      );
      expect(message + lines.join('')).not.toContain(PASSWORD);
    },
  );
});

// A refusal from a live server (no user, unknown database) is a fix to make, not a wait.
const SERVERS: [string, string | undefined][] = [
  ['postgres', process.env.MFA_TEST_POSTGRES_URL],
  ['mariadb', process.env.MFA_TEST_MARIADB_URL],
];
for (const [kind, serverUrl] of SERVERS)
  (serverUrl ? describe : describe.skip)(`a ${kind} server that refuses the login`, () => {
    const server = new URL(serverUrl ?? 'x://localhost');
    const port = server.port || (kind === 'postgres' ? '5432' : '3306');
    const noUser = `${server.protocol}//${server.hostname}:${port}/mfa_no_such_db`;

    it.each(BOOTS)('fails at once via %s with the driver reason quoted and what to set', async (_adapter, boot) => {
      const lines = captureRetryLines();
      const failure = await boot({ encryption, database: { type: kind, url: noUser } as DataSourceOptions }).catch(
        (err: Error) => err,
      );

      expect(failure).toBeInstanceOf(MfaStoreConnectionError);
      const { message, reason } = failure as MfaStoreConnectionError;
      expect(reason).toMatch(/user name|role|database|denied/i); // the driver's words, whichever refusal this server gives
      expect(message).toBe(
        `nestjs-mfa could not open its store at ${kind}://${server.hostname}:${port}/mfa_no_such_db (${reason}). ` +
          `Set \`database: { type: '${kind}', url: '${kind === 'postgres' ? 'postgres' : 'mysql'}://USER:PASSWORD@HOST:${kind === 'postgres' ? 5432 : 3306}/DB' }\` in MfaModule.forRoot / createMfa.`,
      );
      expect(lines).toEqual([]);
    });
  });

// The database starts after the app (compose, Kubernetes): boot waits for it and succeeds.
const postgresUrl = process.env.MFA_TEST_POSTGRES_URL;
(postgresUrl ? describe : describe.skip)('a Postgres server that comes up late', () => {
  it.each(BOOTS)('boot via %s retries until it answers', async (_adapter, boot) => {
    const target = new URL(postgresUrl!);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(postgresUrl!);
    viaProxy.port = String(await proxy.start());
    await proxy.stop();
    // The database "comes up" once boot has been refused, rather than after a guessed delay.
    let opened = false;
    const lines = captureRetryLines(() => void (opened || ((opened = true), proxy.start())));
    try {
      const close = await boot({
        encryption,
        database: { type: 'postgres', url: viaProxy.toString() },
        databaseConnectRetry: { timeoutMs: 20_000 },
      });
      await close();
      expect(lines.length).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
  });
});
