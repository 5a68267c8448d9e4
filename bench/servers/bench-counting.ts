/**
 * What the bench server counts for P4/P5: every SQL statement its store sends (a TypeORM
 * logger) and every Redis command its counters send, with their text while a trace is on.
 */
import type { CounterStore } from '../../libs/core/src';
import { RedisCounterStore } from '../../libs/redis/src';

export const counts = { queries: 0, redis: 0 };

let trace: { queries: string[]; redis: string[] } | null = null;

export function startTrace(): void {
  trace = { queries: [], redis: [] };
}

/** Ends the trace and hands back what it caught (nothing when none was on). */
export function stopTrace(): { queries: string[]; redis: string[] } {
  const done = trace ?? { queries: [], redis: [] };
  trace = null;
  return done;
}

export const queryCounter = {
  logQuery: (query: string, parameters?: unknown[]) => {
    counts.queries++;
    if (!trace) return;
    const sql = query.replace(/\s+/g, ' ');
    // An audit row says which event it is (its `type`, e.g. challenge.verified).
    const type = /^INSERT INTO "mfa_audit_events"/.test(sql)
      ? parameters?.find((p) => typeof p === 'string' && /^[a-z_]+\.[a-z_]+$/.test(p))
      : undefined;
    const event = type ? ` [${type}]` : '';
    trace.queries.push(`${sql}${event}`);
  },
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
};

/** RedisCounterStore.connect (the library's own client settings), with its commands counted. */
export async function redisCounters(url: string): Promise<CounterStore> {
  const store = await RedisCounterStore.connect(url);
  const client = (store as unknown as { redis: { sendCommand: (...args: any[]) => unknown } }).redis;
  const send = client.sendCommand.bind(client);
  client.sendCommand = (command: { name: string; args?: unknown[] }, ...rest: unknown[]) => {
    counts.redis++;
    trace?.redis.push(command.name.toUpperCase());
    return send(command, ...rest);
  };
  return store;
}
