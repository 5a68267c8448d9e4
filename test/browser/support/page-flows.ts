import type { Locator, Page } from 'playwright-core';
import { DEFAULT_TOTP_PROFILE, fromBase32, TotpFactor } from '../../../libs/core/src';

const STEP_MS = DEFAULT_TOTP_PROFILE.period * 1000;

/**
 * An authenticator app on the real clock. The server spends each time step once (replay guard)
 * and accepts one step either side, so each code is for a step no earlier code used: now, or
 * the next one; only a third code within one step has to wait for the clock.
 */
export class AuthenticatorApp {
  private lastStep = -Infinity;

  constructor(readonly secret: string) {}

  async nextCode(): Promise<string> {
    for (;;) {
      const now = Math.floor(Date.now() / STEP_MS);
      const step = Math.max(now, this.lastStep + 1);
      if (step <= now + 1) {
        this.lastStep = step;
        return new TotpFactor().generate(fromBase32(this.secret), DEFAULT_TOTP_PROFILE, step * STEP_MS);
      }
      await new Promise((resolve) => setTimeout(resolve, (step - 1) * STEP_MS - Date.now() + 50));
    }
  }
}

/** Signs in through the form; `next` is where the sign-in page sends the browser afterwards. */
export async function signInOnPage(page: Page, baseUrl: string, username = 'alice', next?: string): Promise<void> {
  await page.goto(`${baseUrl}/ui/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(`${username}-password`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/ui/sign-in');
}

export async function signOutOnPage(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/ui/sign-in' && url.searchParams.get('signedOut') === '1');
}

export interface EnrolledApp {
  app: AuthenticatorApp;
  backupCodes: string[];
  /** The QR code image's src, read while it was on screen. */
  qrSrc: string | null;
}

/** Adds an authenticator app on /ui/enroll from the key printed under the QR code, as a person would type it. */
export async function enrollTotpOnPage(page: Page, baseUrl: string): Promise<EnrolledApp> {
  if (new URL(page.url()).pathname !== '/ui/enroll') await page.goto(`${baseUrl}/ui/enroll`);
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const key = page.locator('#totp-secret');
  await key.waitFor();
  const app = new AuthenticatorApp((await key.textContent())!.replace(/\s+/g, ''));
  const qrSrc = await page.getByRole('img', { name: /QR code/ }).getAttribute('src');
  await page.getByLabel('Code the app shows now').fill(await app.nextCode());
  await page.locator('#totp-confirm').getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('heading', { name: 'Your backup codes' }).waitFor();
  return { app, qrSrc, backupCodes: await page.locator('#backup-code-list li').allTextContents() };
}

/** The text of the page's alert region once it says something matching `pattern`. */
export async function alertText(page: Page, pattern: RegExp): Promise<string> {
  const alert = page.getByRole('alert').filter({ hasText: pattern });
  await alert.waitFor();
  return (await alert.textContent())!;
}

/**
 * The step-up dialog (sample-app/public/step-up-dialog.js): where a page's API call that meets
 * 401 MFA_REQUIRED asks for the answer, over the page the user is on. It exists only while open.
 */
export function stepUpDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Confirm it’s you' });
}

/** Answers the open step-up dialog with a code for its preselected method and waits for it to close. */
export async function answerStepUp(page: Page, code: string): Promise<void> {
  const dialog = stepUpDialog(page);
  await dialog.getByLabel('Code', { exact: true }).fill(code);
  await dialog.getByRole('button', { name: 'Verify' }).click();
  await dialog.waitFor({ state: 'hidden' });
}
