import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequireMfa } from '../src';
import { SampleAppModule, useSessions } from '../sample-app/sample-app.module';

/** Counts the store's SQL statements, for round trips per request (P4). */
const queries = { count: 0 };
const queryCounter = {
  logQuery: () => void queries.count++,
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
};

/** Two routes that differ only in the MFA requirement, plus this process's CPU and query counters. */
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
    return { micros: user + system, queries: queries.count };
  }
}

async function main(): Promise<void> {
  const database = join(mkdtempSync(join(tmpdir(), 'mfa-bench-')), 'mfa.sqlite');
  @Module({
    imports: [
      SampleAppModule.register({
        encryption: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] },
        database: { type: 'better-sqlite3', database, logging: ['query'], logger: queryCounter },
        audit: 'database',
      }),
    ],
    controllers: [BenchController],
  })
  class BenchModule {}

  const app = await NestFactory.create(BenchModule, { logger: false });
  useSessions(app, randomBytes(16).toString('hex'));
  await app.listen(0, '127.0.0.1');
  process.on('message', (m) => m === 'exit' && void app.close().then(() => process.exit(0)));
  process.send?.({ port: (app.getHttpServer().address() as { port: number }).port, database });
}

void main();
