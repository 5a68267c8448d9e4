/**
 * P9's mixed load: five kinds of user flow against pools seeded before the run, each flow run
 * on demand by the pacer (soak-pacer.ts: paced at a rate, a cap on flows in flight).
 *
 *   guarded  a satisfied session reads the guarded route
 *   verify   sign in, guarded route (challenge), a wrong code one flow in three, the right code, guarded route, sign out
 *   wrong    sign in, guarded route (challenge), a wrong code, sign out (an abandoned challenge)
 *   sms      sign in, guarded route (challenge), an SMS code sent to the dev outbox, sign out
 *   enroll   a signed-in user without factors enrolls TOTP: start, confirm with the right code
 *
 * Wrong codes stay below the lockout: a user gets at most two between right codes (the
 * channel locks at five; a right code clears the count), and a right code is only sent for a
 * TOTP step the user has not spent yet.
 */
import { DEFAULT_TOTP_PROFILE, fromBase32, TotpFactor } from '../../libs/core/src';
import { totp, wrongTotp } from './load';
import { Answer, cookieIn, SoakClient } from './soak-http';

export const KINDS = ['guarded', 'verify', 'wrong', 'sms', 'enroll'] as const;
export type Kind = (typeof KINDS)[number];

/** The seeded users' password; bench/lib/totp-runs.ts has its own copy of the same string. */
export const PASSWORD = 'correct horse battery staple';

export interface TotpUser {
  email: string;
  key: Buffer;
  /** The last TOTP step this user spent. */
  step: number;
  wrong: number;
  busy: boolean;
}

export interface SoakPools {
  /** Cookies of sessions that already satisfied the guarded route. */
  guarded: string[];
  totp: TotpUser[];
  sms: Array<{ email: string; busy: boolean }>;
  /** Cookies of signed-in users with no factor yet; each is used once. */
  enroll: string[];
}

export type Outcome = 'completed' | 'failed' | 'skipped';

const step = () => Math.floor(Date.now() / 30_000);

export class SoakLoad {
  private cursor = { guarded: 0, totp: 0, sms: 0, enroll: 0 };
  private readonly totpFactor = new TotpFactor();

  constructor(
    private readonly client: SoakClient,
    private readonly pools: SoakPools,
  ) {}

  /** One flow of the kind; never throws (a failed request is an outcome). */
  run(kind: Kind): Promise<Outcome> {
    switch (kind) {
      case 'guarded':
        return this.guarded();
      case 'verify':
        return this.verify(Math.random() < 1 / 3);
      case 'wrong':
        return this.wrong();
      case 'sms':
        return this.sms();
      case 'enroll':
        return this.enroll();
    }
  }

  private expect(label: string, answer: Answer | null, status: number, contains?: string): answer is Answer {
    if (answer && answer.status === status && (!contains || answer.body.includes(contains))) return true;
    this.client.note(label, answer);
    return false;
  }

  /** The next free pooled entry after the cursor, or undefined. */
  private take<T extends { busy: boolean }>(pool: T[], which: 'totp' | 'sms', ok: (e: T) => boolean): T | undefined {
    for (let i = 0; i < pool.length; i++) {
      const e = pool[(this.cursor[which] + i) % pool.length];
      if (e.busy || !ok(e)) continue;
      this.cursor[which] = (this.cursor[which] + i + 1) % pool.length;
      e.busy = true;
      return e;
    }
    return undefined;
  }

  private async guarded(): Promise<Outcome> {
    const cookie = this.pools.guarded[this.cursor.guarded++ % this.pools.guarded.length];
    const r = await this.client.request('guarded (satisfied)', 'GET', '/bench/guarded', { cookie });
    return this.expect('guarded (satisfied)', r, 200) ? 'completed' : 'failed';
  }

  /** Signs in and opens the guarded route's challenge; undefined (and signed out) when that failed. */
  private async signInToChallenge(email: string): Promise<{ cookie: string; challengeId: string } | undefined> {
    const login = await this.client.request('sign in', 'POST', '/auth/login', {
      json: { username: email, password: PASSWORD },
    });
    const cookie = login && cookieIn(login.setCookie, 'connect.sid');
    if (!this.expect('sign in', login, 200) || !cookie) return undefined;
    const guarded = await this.client.request('guarded (challenge)', 'GET', '/bench/guarded', { cookie });
    if (this.expect('guarded (challenge)', guarded, 401, '"challenge"'))
      return { cookie, challengeId: (JSON.parse(guarded.body) as { challenge: { id: string } }).challenge.id };
    await this.signOut(cookie);
    return undefined;
  }

  private async signOut(cookie: string): Promise<boolean> {
    return this.expect('sign out', await this.client.request('sign out', 'POST', '/auth/logout', { cookie }), 200);
  }

  private async code(label: string, cookie: string, challengeId: string, code: string): Promise<Answer | null> {
    return this.client.request(label, 'POST', `/mfa/challenges/${challengeId}/verify`, {
      cookie,
      json: { method: 'totp', code },
    });
  }

  private async verify(wrongFirst: boolean): Promise<Outcome> {
    const now = step();
    const user = this.take(this.pools.totp, 'totp', (u) => u.step < now && (!wrongFirst || u.wrong < 2));
    if (!user) return 'skipped';
    try {
      const open = await this.signInToChallenge(user.email);
      if (!open) return 'failed';
      let cookie = open.cookie;
      let ok = true;
      if (wrongFirst) {
        user.wrong++;
        const r = await this.code('verify, wrong code', cookie, open.challengeId, wrongTotp(user.key, Date.now()));
        ok = this.expect('verify, wrong code', r, 401, 'INVALID_CODE');
      }
      const at = Date.now();
      const r = ok && (await this.code('verify, right code', cookie, open.challengeId, totp(user.key, at)));
      if (r !== false) ok = this.expect('verify, right code', r, 200, '"verified":true');
      if (ok && r) {
        user.step = Math.floor(at / 30_000);
        user.wrong = 0;
        // The verify renews the session id; the old cookie is signed out with it.
        cookie = cookieIn(r.setCookie, 'connect.sid') ?? cookie;
        const g = await this.client.request('guarded (satisfied)', 'GET', '/bench/guarded', { cookie });
        ok = this.expect('guarded (satisfied)', g, 200);
      }
      return (await this.signOut(cookie)) && ok ? 'completed' : 'failed';
    } finally {
      user.busy = false;
    }
  }

  private async wrong(): Promise<Outcome> {
    const user = this.take(this.pools.totp, 'totp', (u) => u.wrong < 2);
    if (!user) return 'skipped';
    try {
      const open = await this.signInToChallenge(user.email);
      if (!open) return 'failed';
      user.wrong++;
      const r = await this.code('verify, wrong code', open.cookie, open.challengeId, wrongTotp(user.key, Date.now()));
      const ok = this.expect('verify, wrong code', r, 401, 'INVALID_CODE');
      return (await this.signOut(open.cookie)) && ok ? 'completed' : 'failed';
    } finally {
      user.busy = false;
    }
  }

  private async sms(): Promise<Outcome> {
    const user = this.take(this.pools.sms, 'sms', () => true);
    if (!user) return 'skipped';
    try {
      const open = await this.signInToChallenge(user.email);
      if (!open) return 'failed';
      const r = await this.client.request('SMS send', 'POST', `/mfa/challenges/${open.challengeId}/send`, {
        cookie: open.cookie,
        json: { method: 'sms' },
      });
      const ok = this.expect('SMS send', r, 200);
      return (await this.signOut(open.cookie)) && ok ? 'completed' : 'failed';
    } finally {
      user.busy = false;
    }
  }

  private async enroll(): Promise<Outcome> {
    const cookie = this.pools.enroll[this.cursor.enroll];
    if (!cookie) return 'skipped';
    this.cursor.enroll++;
    const start = await this.client.request('TOTP enroll, start', 'POST', '/mfa/totp/enrollments', {
      cookie,
      json: {},
    });
    if (!this.expect('TOTP enroll, start', start, 201, '"secret"')) return 'failed';
    const { enrollmentId, secret } = JSON.parse(start.body) as { enrollmentId: string; secret: string };
    const code = this.totpFactor.generate(fromBase32(secret), DEFAULT_TOTP_PROFILE, Date.now());
    const confirm = await this.client.request(
      'TOTP enroll, confirm',
      'POST',
      `/mfa/totp/enrollments/${enrollmentId}/confirm`,
      { cookie, json: { code } },
    );
    return this.expect('TOTP enroll, confirm', confirm, 200, '"backupCodes"') ? 'completed' : 'failed';
  }
}
