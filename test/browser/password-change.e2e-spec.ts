// Invariant: changing the password on /ui/password needs a fresh second factor and the current
// password, and then MFA forgets
// every browser the user chose to remember (engine.passwordChanged): the page says how many,
// and the next visit to /ui/payments, where a remembered browser stood in, asks again. The old
// password stops working — on the Nest and the Express sample.
import type { Page } from 'playwright-core';
import {
  alertText,
  answerStepUp,
  enrollTotpOnPage,
  signInOnPage,
  signOutOnPage,
  stepUpDialog,
} from './support/page-flows';
import { describeOnBothSamples } from './support/sample-suite';

const NEW_PASSWORD = 'a much longer passphrase';

async function signInWith(page: Page, baseUrl: string, password: string, next: string): Promise<void> {
  await page.goto(`${baseUrl}/ui/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function submitPasswordChange(page: Page, current: string): Promise<void> {
  await page.getByLabel('Current password').fill(current);
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('New password again').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
}

describeOnBothSamples('password change on the pages', (ctx) => {
  it('a remembered browser is forgotten by a password change: payments asks again', async () => {
    const { page, baseUrl } = ctx;
    await signInOnPage(page, baseUrl, 'alice', '/ui/enroll');
    const { app } = await enrollTotpOnPage(page, baseUrl);
    await signOutOnPage(page);

    // Verify on payments and remember this browser: the next session opens payments directly.
    await signInOnPage(page, baseUrl, 'alice', '/ui/payments');
    await page.getByLabel('Remember this browser').check();
    await page.getByLabel('Code from your authenticator app').fill(await app.nextCode());
    await page.locator('form[data-method="totp"]').getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.locator('#guarded-content').waitFor();
    await signOutOnPage(page);
    await signInOnPage(page, baseUrl, 'alice', '/ui/payments');
    await page.locator('#guarded-content').waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'Password' }).click();
    await page.waitForURL((url) => url.pathname === '/ui/password');
    // A remembered browser is not a second factor: the change asks for a fresh one first (in the
    // step-up dialog, on this page), so a phished password alone cannot lock the owner out. The
    // same request then goes on, and the server weighs the current password only now.
    await submitPasswordChange(page, 'not-my-password');
    await stepUpDialog(page).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/password');
    await answerStepUp(page, await app.nextCode());
    expect(await alertText(page, /current password/)).toBe('Your current password is not right.');

    await submitPasswordChange(page, 'not-my-password');
    await page.locator('#password-form:not([aria-busy])').waitFor();
    expect(await alertText(page, /current password/)).toBe('Your current password is not right.');
    await submitPasswordChange(page, 'alice-password');
    const status = page.getByRole('status').filter({ hasText: 'Password changed.' });
    await status.waitFor();
    expect(await status.textContent()).toBe(
      'Password changed. One remembered browser was forgotten: each asks for a second factor again.',
    );

    await signOutOnPage(page);
    await signInWith(page, baseUrl, 'alice-password', '/ui/payments');
    expect(await alertText(page, /Wrong/)).toBe('Wrong username or password.');
    await signInWith(page, baseUrl, NEW_PASSWORD, '/ui/payments');
    await page.waitForURL((url) => url.pathname === '/ui/payments');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm it’s you');
    expect(ctx.cspViolations()).toEqual([]);
  }, 90_000);
});
