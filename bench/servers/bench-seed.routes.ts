/**
 * /bench/seed: pre-creates users, each with an active TOTP enrollment (the rows a confirmed
 * enrollment leaves) or a passkey, signed-in sessions (what passport's login stores) and, per
 * session, the challenge the guarded route opens — through the engine itself, exactly as a
 * real request does.
 */
import { createHmac, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import express, { Express } from 'express';
import type session from 'express-session';
import {
  buildRequirement,
  DEFAULT_TOTP_PROFILE,
  isMfaError,
  KeyRing,
  MfaEngine,
  totpSecretAad,
  TotpFactor,
} from '../../libs/core/src';
import type { MfaStore } from '../../libs/core/src';
import { credentialKeyOf } from '../../libs/core/src/factors/passkey/passkey-enrollment';
import { sealPasskey } from '../../libs/core/src/factors/passkey/passkey-credential';
import type { RegistrationResponseJSON, WebAuthnCeremony } from '../../libs/core/src/factors/passkey/webauthn.ceremony';

export interface BenchUser {
  id: string;
  email: string;
  salt?: Buffer;
  passwordHash?: Buffer;
}

export interface SeedContext {
  engine: MfaEngine;
  store: MfaStore;
  webauthn: WebAuthnCeremony | null;
  keyRing: KeyRing;
  sessions: session.MemoryStore;
  users: Map<string, BenchUser>;
  byEmail: Map<string, BenchUser>;
  /** Keeps user ids unique when two instances share a database. */
  tag: string;
  sessionSecret: string;
}

/** express-session's signed cookie: `s:` + id + `.` + HMAC-SHA256 (cookie-signature). */
function sessionCookie(secret: string, sid: string): string {
  const signature = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return `connect.sid=${encodeURIComponent(`s:${sid}.${signature}`)}`;
}

export function mountSeedRoutes(app: Express, ctx: SeedContext): void {
  const { engine, store, webauthn, keyRing, sessions, users, byEmail } = ctx;
  const totpFactor = new TotpFactor();
  const guardedTarget = { requirement: buildRequirement({}) }; // what mfa.requireMfa() guards with

  /**
   * The rows a confirmed passkey registration leaves (PasskeyEnrollment.register without its
   * challenge and backup codes, like the seeded TOTP rows): the library's own ceremony checks the
   * soft authenticator's registration, then the pending enrollment is activated with the sealed credential.
   */
  async function seedPasskey(
    userId: string,
    seed: { challenge: string; response: RegistrationResponseJSON },
    now: number,
  ): Promise<void> {
    if (!webauthn) throw new Error('passkeys are off: start the bench server with MFA_BENCH_WEBAUTHN=1');
    const credential = await webauthn.verifyRegistration(seed.response, seed.challenge);
    if (!credential) throw new Error('seed: the passkey registration did not verify');
    const id = randomUUID();
    await store.createEnrollment({
      id,
      userId,
      type: 'webauthn',
      status: 'pending',
      label: 'Passkey',
      sealedSecret: '',
      keyId: keyRing.currentKeyId,
      profile: null,
      maskedTarget: null,
      lastStep: null,
      createdAt: now - 60_000,
      confirmedAt: null,
      lastUsedAt: null,
      passkey: null,
    });
    const transports = ['internal'];
    const outcome = await store.activatePasskey(
      userId,
      id,
      {
        sealedSecret: sealPasskey(
          keyRing,
          { id: credential.id, publicKey: credential.publicKey, transports },
          userId,
          id,
        ),
        keyId: keyRing.currentKeyId,
        details: {
          credentialKey: credentialKeyOf(credential.id),
          aaguid: credential.aaguid,
          backupEligible: credential.backupEligible,
          backedUp: credential.backedUp,
          transports,
          attestation: credential.attestation,
        },
        signCount: credential.signCount,
      },
      now - 60_000,
    );
    if (outcome !== 'activated') throw new Error(`seed: passkey activation answered ${outcome}`);
  }

  app.post('/bench/seed', express.json({ limit: '10mb' }), async (req, res, next) => {
    try {
      const n: number = req.body.users ?? 1;
      const perUser: number = req.body.sessionsPerUser ?? 1;
      const wantChallenge = req.body.challenge !== false || req.body.verified === true;
      // The engine's own verify: over HTTP it would also renew the session id, which a seeded pool cannot follow.
      const verified = req.body.verified === true;
      const enroll = req.body.enroll !== false;
      const existing: Array<{ userId: string; email: string }> | undefined = req.body.existing;
      // One soft-authenticator registration per user: that user gets a passkey instead of TOTP.
      const passkeys: Array<{ challenge: string; response: RegistrationResponseJSON }> | undefined = req.body.passkeys;
      const salt = randomBytes(16);
      const passwordHash = req.body.password ? scryptSync(req.body.password, salt, 32, { N: 1024 }) : undefined;
      const now = Date.now();
      const out: Array<{
        userId: string;
        email: string;
        key?: string;
        sessions: Array<{ cookie: string; challengeId?: string }>;
      }> = [];
      let seq = users.size;
      const one = async (i: number) => {
        const user: BenchUser = existing?.[i]
          ? { id: existing[i].userId, email: existing[i].email, salt, passwordHash }
          : { id: `u-${ctx.tag}-${++seq}`, email: `user-${ctx.tag}-${seq}@bench.example`, salt, passwordHash };
        users.set(user.id, user);
        byEmail.set(user.email, user);
        let key: string | undefined;
        if (passkeys) await seedPasskey(user.id, passkeys[i], now);
        else if (enroll && !existing) {
          const id = randomUUID();
          const secret = totpFactor.createSecret();
          key = secret.toString('hex');
          await store.createEnrollment({
            id,
            userId: user.id,
            type: 'totp',
            status: 'active',
            label: 'Phone',
            sealedSecret: keyRing.seal(secret, totpSecretAad(user.id, id)),
            keyId: keyRing.currentKeyId,
            profile: { ...DEFAULT_TOTP_PROFILE },
            maskedTarget: null,
            lastStep: Math.floor(now / 30_000) - 2,
            createdAt: now - 60_000,
            confirmedAt: now - 60_000,
            lastUsedAt: now - 60_000,
          } as never);
        }
        const list: Array<{ cookie: string; challengeId?: string }> = [];
        for (let s = 0; s < perUser; s++) {
          const sid = randomBytes(24).toString('base64url');
          const data = {
            cookie: { originalMaxAge: null, expires: null, secure: false, httpOnly: true, path: '/', sameSite: 'lax' },
            passport: { user: user.id },
          };
          await new Promise<void>((resolve, reject) =>
            sessions.set(sid, data as never, (err) => (err ? reject(err) : resolve())),
          );
          let challengeId: string | undefined;
          if (wantChallenge) {
            const subject = { userId: user.id, sessionId: sid, groups: [], accountName: user.email, ip: '127.0.0.1' };
            try {
              await engine.enforce(subject, guardedTarget, {});
              throw new Error('a fresh session already satisfied the guarded route');
            } catch (err) {
              if (!isMfaError(err) || err.code !== 'MFA_REQUIRED') throw err;
              challengeId = (err.details.challenge as { id: string }).id;
            }
            if (verified && key) {
              await engine.verifyChallenge(
                subject,
                challengeId!,
                'totp',
                totpFactor.generate(Buffer.from(key, 'hex'), DEFAULT_TOTP_PROFILE, Date.now()),
              );
            }
          }
          list.push({ cookie: sessionCookie(ctx.sessionSecret, sid), challengeId });
        }
        out[i] = { userId: user.id, email: user.email, key, sessions: list };
      };
      const count = existing?.length ?? passkeys?.length ?? n;
      let cursor = 0;
      await Promise.all(
        Array.from({ length: Math.min(8, count) }, async () => {
          while (cursor < count) await one(cursor++);
        }),
      );
      res.json({ users: out });
    } catch (err) {
      next(err);
    }
  });
}
