import type { Request } from 'express';
import { AppSessionRevoker, MfaEngine, passportSessionSubject } from '../../../src';
import { DemoUser, isAdmin } from '../demo-users';
import { DEV_OUTBOX, devOutboxEnabled } from '../dev-outbox';
import { readCookie } from '../read-cookie';
import { SAMPLE_MFA_DEFAULTS } from '../sample-mfa-policy';
import { simulatedCountryOf } from '../simulated-country';
import { outboxPage, passwordPage, recoveryPage } from './account.pages';
import { adminPage } from './admin.page';
import { homePage, paymentsPage, securePage } from './content.pages';
import { html } from './html';
import { enrollPage } from './enroll.page';
import { safeNext } from './page-layout';
import { messagePage } from './page-refusal';
import type { PageResult } from './page-response';
import { profilePage } from './profile.page';
import { signInPage } from './sign-in.page';

// The samples keep the library's default name for the trusted-device cookie (`trustedDeviceCookie.name`).
const DEVICE_COOKIE = 'mfa_device';

/**
 * Every page of the sample, written once over Express's request (Nest's platform-express hands
 * the same object): the Nest controller and the Express router only choose the guard and call
 * these. MFA decides who may see a guarded page; these only render it.
 */
export class SamplePages {
  constructor(
    private readonly engine: () => Promise<MfaEngine>,
    /** The app's own count of other sessions, when it can list them (endOtherSessions.count). */
    private readonly sessions?: AppSessionRevoker,
    /** Whether the development outbox page exists: decided once, when the app is built, like GET /dev/outbox. */
    private readonly outbox: boolean = devOutboxEnabled(),
  ) {}

  /** In development, also where this browser pretends to be, and what MFA reads from this very request. */
  home(req: Request): PageResult {
    const location = this.outbox
      ? { chosen: simulatedCountryOf(req), seen: headerOf(req, SAMPLE_MFA_DEFAULTS.trustedCountryHeader) }
      : undefined;
    return { status: 200, html: homePage(userOf(req), this.outbox, location) };
  }

  signIn(req: Request): PageResult {
    return { status: 200, html: signInPage(userOf(req), safeNext(req.query.next), req.query.signedOut === '1') };
  }

  enroll(req: Request): PageResult {
    const user = userOf(req);
    if (!user) return signInFirst(req);
    const next = typeof req.query.next === 'string' ? safeNext(req.query.next) : null;
    return { status: 200, html: enrollPage(user, next) };
  }

  async profile(req: Request): Promise<PageResult> {
    const user = userOf(req);
    const subject = user ? await passportSessionSubject(req) : null;
    if (!user || !subject) return signInFirst(req);
    const engine = await this.engine();
    const [summary, devices, otherSessions] = await Promise.all([
      engine.listEnrollments(subject),
      engine.listTrustedDevices(subject.userId, readCookie(req, DEVICE_COOKIE)),
      this.countOtherSessions(engine, subject.userId, subject.sessionId),
    ]);
    return { status: 200, html: profilePage({ user, summary, devices, otherSessions }) };
  }

  /** Admins only; the console reads and acts through /mfa/admin/*, which also wants the admin's own MFA. */
  admin(req: Request): PageResult {
    const user = userOf(req);
    if (!user) return signInFirst(req);
    if (!isAdmin(user.groups))
      return messagePage(403, 'Admins only', user, [
        html`<p>The admin console is for administrators.</p>`,
        html`<p><a href="/ui">Back to the start</a></p>`,
      ]);
    const lookup = typeof req.query.user === 'string' ? req.query.user.slice(0, 191) : '';
    return { status: 200, html: adminPage(user, lookup) };
  }

  password(req: Request): PageResult {
    const user = userOf(req);
    return user ? { status: 200, html: passwordPage(user) } : signInFirst(req);
  }

  recovery(req: Request): PageResult {
    const user = userOf(req);
    return user ? { status: 200, html: recoveryPage(user) } : signInFirst(req);
  }

  /** Development only (see devOutboxEnabled), open like GET /dev/outbox; otherwise not found. */
  devOutbox(req: Request): PageResult {
    const user = userOf(req);
    if (!this.outbox)
      return messagePage(404, 'Not found', user, [
        html`<p>There is no such page.</p>`,
        html`<p><a href="/ui">Back to the start</a></p>`,
      ]);
    return { status: 200, html: outboxPage(user, DEV_OUTBOX.messages()) };
  }

  /** Behind RequireMfa() / requireMfa(): the route's guard already let the session through. */
  secure(req: Request): PageResult {
    return { status: 200, html: securePage(userOf(req)) };
  }

  /** Behind the policy's `payments` service. */
  payments(req: Request): PageResult {
    return { status: 200, html: paymentsPage(userOf(req)) };
  }

  /** Behind a step-up: reached once the session verified recently enough; back to where the API asked for it. */
  verified(req: Request): PageResult {
    return { redirect: safeNext(req.query.next) };
  }

  private async countOtherSessions(engine: MfaEngine, userId: string, sessionId: string): Promise<number | null> {
    try {
      return this.sessions?.count
        ? await this.sessions.count(userId, sessionId)
        : await engine.countOtherSessions(userId, sessionId);
    } catch {
      return null; // the page still shows; the count is only a hint
    }
  }
}

function userOf(req: Request): DemoUser | undefined {
  return req.isAuthenticated?.() ? (req.user as DemoUser) : undefined;
}

function signInFirst(req: Request): PageResult {
  return { redirect: `/ui/sign-in?next=${encodeURIComponent(safeNext(req.originalUrl))}` };
}

function headerOf(req: Request, name: string | undefined): string | undefined {
  const value = name ? req.headers[name.toLowerCase()] : undefined;
  return typeof value === 'string' ? value : undefined;
}
