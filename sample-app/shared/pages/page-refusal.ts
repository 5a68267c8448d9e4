import type { Request } from 'express';
import type { ChallengeView } from '../../../src/core';
import type { DemoUser } from '../demo-users';
import { challengePage } from './challenge.page';
import { html } from './html';
import { layout, safeNext } from './page-layout';
import type { PageResult } from './page-response';

interface RefusalBody {
  code?: string;
  message?: string;
  challenge?: ChallengeView;
  ruleId?: string;
}

/**
 * A guarded page refused by MFA (or by the app's own sign-in check) becomes a page, not JSON:
 * the Nest sample's exception filter and the Express sample's page middleware both call this
 * with the refusal the library produced, so the decision stays the library's.
 */
export function refusalPage(status: number, body: unknown, req: Request): PageResult {
  const refusal: RefusalBody = body && typeof body === 'object' ? body : {};
  const here = safeNext(req.originalUrl, '/ui');
  const user = req.user as DemoUser | undefined;
  switch (refusal.code) {
    case 'UNAUTHENTICATED':
      return { redirect: `/ui/sign-in?next=${encodeURIComponent(here)}` };
    case 'MFA_REQUIRED':
      if (refusal.challenge) return { status: 401, html: challengePage(refusal.challenge, user, here) };
      break;
    case 'MFA_ENROLLMENT_REQUIRED':
      return messagePage(403, 'Add a second factor first', user, [
        html`<p>This page needs a second factor, and your account has none that it accepts.</p>`,
        html`<p><a class="button" href="/ui/enroll?next=${encodeURIComponent(here)}">Add a factor</a></p>`,
      ]);
    case 'MFA_DENIED':
      return messagePage(403, 'Not from here', user, [
        html`<p>A security rule does not allow this page from where you are (rule ${refusal.ruleId ?? 'unknown'}).</p>`,
      ]);
  }
  return messagePage(status, status === 404 ? 'Not found' : 'Not available', user, [
    html`<p>${refusal.message ?? 'Something went wrong.'}</p>`,
    html`<p><a href="/ui">Back to the start</a></p>`,
  ]);
}

export function messagePage(
  status: number,
  title: string,
  user: DemoUser | null | undefined,
  paragraphs: ReturnType<typeof html>[],
): PageResult {
  return { status, html: layout({ title, user, main: html`${paragraphs}` }) };
}
