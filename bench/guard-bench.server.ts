/**
 * P1's app: the Nest sample (passport + express-session + MfaGuard as APP_GUARD) plus two
 * routes that differ only in @RequireMfa(). Started by bench/guard-overhead.bench.ts:
 *   MFA_BENCH_DB=sqlite|postgres, MFA_BENCH_COUNTERS=memory|redis, MFA_BENCH_POSTGRES_URL, MFA_BENCH_REDIS_URL
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { RequireMfa } from '../src';
import { RedisCounterStore } from '../libs/redis/src';
import type { CounterStore } from '../libs/core/src';
import { SampleAppModule, useSessions } from '../sample-app/sample-app.module';

/** Counts the store's SQL statements and the counters' Redis commands, for round trips per request (P4). */
const counts = { queries: 0, redis: 0 };
const queryCounter = {
  logQuery: () => void counts.queries++,
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
};

/** Two routes that differ only in the MFA requirement, plus this process's CPU and round-trip counters. */
@Controller('bench')
class BenchController {
  @Get('open')
  open() {
    return { ok: true };
  }

  @Get('guarded')
  @RequireMfa()
  guarded() {
    return { ok: true };
  }

  @Get('cpu')
  cpu() {
    const { user, system } = process.cpuUsage();
    return { micros: user + system, queries: counts.queries, redis: counts.redis };
  }
}

async function redisCounters(): Promise<CounterStore> {
  const store = await RedisCounterStore.connect(process.env.MFA_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/8');
  const client = (store as unknown as { redis: { sendCommand: (...args: any[]) => unknown } }).redis;
  const send = client.sendCommand.bind(client);
  client.sendCommand = (...args: unknown[]) => {
    counts.redis++;
    return send(...args);
  };
  return store;
}

async function main(): Promise<void> {
  const database: DataSourceOptions =
    process.env.MFA_BENCH_DB === 'postgres'
      ? ({
          type: 'postgres',
          url: process.env.MFA_BENCH_POSTGRES_URL,
          logging: ['query'],
          logger: queryCounter,
        } as DataSourceOptions)
      : ({
          type: 'better-sqlite3',
          database: join(mkdtempSync(join(tmpdir(), 'mfa-bench-')), 'mfa.sqlite'),
          logging: ['query'],
          logger: queryCounter,
        } as DataSourceOptions);
  const counters = process.env.MFA_BENCH_COUNTERS === 'redis' ? await redisCounters() : undefined;
  @Module({
    imports: [
      SampleAppModule.register({
        encryption: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] },
        database,
        audit: 'database',
        ...(counters ? { counters } : {}),
      }),
    ],
    controllers: [BenchController],
  })
  class BenchModule {}

  const app = await NestFactory.create(BenchModule, { logger: false });
  useSessions(app, randomBytes(16).toString('hex'));
  await app.listen(0, '127.0.0.1');
  const exit = () =>
    void app.close().then(async () => {
      await counters?.close?.();
      process.exit(0);
    });
  process.on('message', (m) => m === 'exit' && exit());
  process.on('disconnect', exit);
  process.send?.({ port: (app.getHttpServer().address() as { port: number }).port });
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.send?.({ error: String(err?.stack ?? err) });
  process.exit(1);
});
