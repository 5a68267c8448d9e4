/**
 * The bench server's internal endpoints that are not seeding: the dev outbox, a bare hello
 * route, CPU and statement counts, statement traces (P4/P5), the crypto floor (P3) and the
 * memory probe (P9). Never part of a measurement.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto';
import express, { Express } from 'express';
import type session from 'express-session';
import { DEFAULT_TOTP_PROFILE, KeyRing, MfaEngine, totpSecretAad, TotpFactor } from '../../libs/core/src';
import { DevOutbox } from '../../libs/delivery/src';
import { counts, startTrace, stopTrace } from './bench-counting';

export interface ProbeContext {
  engine: MfaEngine;
  keyRing: KeyRing;
  /** The raw encryption key (base64), for the crypto floor's own AES-GCM. */
  key: string;
  outbox: DevOutbox;
  sessions: session.MemoryStore;
}

export function mountProbeRoutes(app: Express, ctx: ProbeContext): void {
  const { keyRing, outbox } = ctx;
  const totpFactor = new TotpFactor();

  app.get('/bench/outbox', (_req, res) => {
    res.json({ last: outbox.messages()[0] ?? null });
  });
  app.get('/bench/hello', (_req, res) => {
    res.json({ hello: 'world' });
  });
  app.get('/bench/cpu', (_req, res) => {
    const { user, system } = process.cpuUsage();
    res.json({ micros: user + system, queries: counts.queries, redis: counts.redis });
  });
  app.post('/bench/trace', express.json(), (req, res) => {
    if (req.body?.on) {
      startTrace();
      return res.json({ on: true });
    }
    res.json(stopTrace());
  });

  /**
   * P9: memory after a forced GC (the server must run with --expose-gc), open handles by type,
   * and the sizes of the in-memory structures that could explain growth: the harness's own
   * (sessions, outbox) apart from the library's (session cache, in-process counters).
   */
  app.get('/bench/memory', (_req, res, next) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    // Twice: the first pass may only queue finalizers whose objects the second one frees.
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    const handles: Record<string, number> = {};
    for (const type of process.getActiveResourcesInfo()) handles[type] = (handles[type] ?? 0) + 1;
    const internals = (ctx.engine as unknown as { ctx: Record<string, any> }).ctx;
    ctx.sessions.length((err, sessions) => {
      if (err) return next(err);
      res.json({
        gc: !!gc,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        rss: m.rss,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
        handles,
        sizes: {
          expressSessions: sessions,
          outbox: outbox.messages().length,
          sessionCache: internals.sessionCache?.entries?.size ?? null,
          counterWindows: internals.counters?.windows?.size ?? null,
        },
      });
    });
  });

  /** P3's floor: the crypto a verify cannot avoid — one AES-256-GCM open and the HMAC-SHA1s of the ±1 window. */
  app.post('/bench/crypto', express.json(), (req, res) => {
    const iterations: number = req.body?.iterations ?? 20_000;
    const userId = 'u-floor';
    const enrollmentId = randomUUID();
    const secret = randomBytes(20);
    const aad = totpSecretAad(userId, enrollmentId);
    const sealed = keyRing.seal(secret, aad);
    const rawKey = Buffer.from(ctx.key, 'base64');
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', rawKey, iv).setAAD(Buffer.from(aad));
    const body = Buffer.concat([c.update(secret), c.final()]);
    const tag = c.getAuthTag();
    const cpu = (run: () => void) => {
      for (let i = 0; i < 2000; i++) run(); // warm-up
      const t = process.cpuUsage();
      for (let i = 0; i < iterations; i++) run();
      const d = process.cpuUsage(t);
      return (d.user + d.system) / iterations;
    };
    const counter = Buffer.alloc(8);
    let sink = 0;
    const aesGcmOpen = cpu(() => {
      const d = createDecipheriv('aes-256-gcm', rawKey, iv);
      d.setAAD(Buffer.from(aad));
      d.setAuthTag(tag);
      Buffer.concat([d.update(body), d.final()]);
    });
    const hmacWindow = cpu(() => {
      const step = Math.floor(Date.now() / 30_000);
      for (let o = -1; o <= 1; o++) {
        counter.writeBigUInt64BE(BigInt(step + o));
        const mac = createHmac('sha1', secret).update(counter).digest();
        const off = mac[19] & 15;
        sink ^= (((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3]) % 1_000_000;
      }
    });
    // For comparison only: the same work through the library's KeyRing and otplib.
    const library = cpu(() => {
      const opened = keyRing.open(sealed, aad);
      totpFactor.matchStep(opened, '000000', DEFAULT_TOTP_PROFILE, Date.now());
    });
    res.json({ aesGcmOpen, hmacWindow, floorCrypto: aesGcmOpen + hmacWindow, library, sink });
  });
}
