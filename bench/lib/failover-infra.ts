/**
 * What P10 breaks on purpose: a redis-server of its own (never the shared one), a TCP proxy
 * in front of PostgreSQL that can refuse connections and cut open ones, and a database of its own.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { TcpProxy } from '../../test/support/tcp-proxy';
import Redis from 'ioredis';
import { Client } from 'pg';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const live = new Set<ChildProcess>();
process.on('exit', () => live.forEach((c) => c.kill('SIGKILL')));

/**
 * One redis-server child on a fixed port, restartable on that port. `persistence: 'aof'`
 * writes an append-only file with fsync on every write into a directory of its own, which a
 * restart reads back; 'none' is what a Redis without persistence or replication loses on a crash.
 */
export class RedisServer {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'mfa-p10-redis-'));
  persistence: 'none' | 'aof' = 'none';

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--dir', this.dir];
    args.push(
      ...(this.persistence === 'aof' ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    );
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child = child;
    live.add(child);
    child.once('exit', () => live.delete(child));
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    for (let i = 0; ; i++) {
      try {
        await probe.connect();
        // Loading an AOF answers LOADING until done: wait for a real PONG.
        if ((await probe.ping()) === 'PONG') break;
      } catch {
        if (i > 100 || child.exitCode !== null) throw new Error(`redis-server on ${this.port} did not start`);
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    probe.disconnect();
  }

  /** A crash: SIGKILL, no shutdown save. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops and creates the bench's own database (never `postgres` or `test`); returns its URL. */
export async function freshDatabase(baseUrl: string, name: string): Promise<string> {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`refusing database name ${name}`);
  const admin = new Client({ connectionString: withDatabase(baseUrl, 'postgres'), connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return withDatabase(baseUrl, name);
}

export async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`refusing database name ${name}`);
  const admin = new Client({ connectionString: withDatabase(baseUrl, 'postgres'), connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
