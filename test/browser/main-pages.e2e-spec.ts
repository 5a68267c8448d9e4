// Invariant: the main pages a person meets — sign-in, enrollment, backup codes, the challenge page,
// the profile and the admin console — render in Chromium with their heading and no CSP violation.
// With MFA_SCREENSHOTS=1 it also writes docs/screenshots/*.png, the pictures the README shows.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { RunningSample, startSample } from './support/browser-sample';
import { describeInChromium, launchChromium, openPage, WatchedPage } from './support/chromium';
import { enrollTotpOnPage, signInOnPage, signOutOnPage } from './support/page-flows';

// A real browser on a busy machine, and TOTP codes on the real clock that may wait for the next step.
jest.setTimeout(120_000);

const SHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

describeInChromium('the main pages, in Chromium', () => {
  let browser: Browser;
  let sample: RunningSample;
  let w: WatchedPage;
  beforeAll(async () => {
    browser = await launchChromium();
    sample = await startSample('nest');
    w = await openPage(browser);
    await w.page.setViewportSize({ width: 1000, height: 760 });
    if (process.env.MFA_SCREENSHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await w?.context.close();
    await sample?.close();
    await browser?.close();
  });

  const shown = async (page: Page, name: string, heading: RegExp) => {
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(heading);
    if (process.env.MFA_SCREENSHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };

  it('sign-in, enrollment, backup codes, the challenge page, the profile and the admin console', async () => {
    const { page } = w;
    await page.goto(`${sample.baseUrl}/ui/sign-in`);
    await shown(page, 'sign-in', /sign in/i);
    await signInOnPage(page, sample.baseUrl, 'alice', '/ui/enroll');
    await shown(page, 'enroll', /.+/);
    const { app } = await enrollTotpOnPage(page, sample.baseUrl);
    await page.locator('#backup-codes').waitFor();
    if (process.env.MFA_SCREENSHOTS) await page.screenshot({ path: join(SHOTS, 'backup-codes.png'), fullPage: true });

    await signOutOnPage(page);
    await signInOnPage(page, sample.baseUrl, 'alice', '/ui/secure');
    await shown(page, 'challenge', /.+/);
    await page
      .getByLabel(/code/i)
      .first()
      .fill(await app.nextCode());
    await page.keyboard.press('Enter');
    await page.locator('#guarded-content').waitFor();

    await page.goto(`${sample.baseUrl}/ui/profile`);
    await shown(page, 'profile', /.+/);
    await page.goto(`${sample.baseUrl}/ui/admin?user=u-bob`);
    await page.waitForLoadState('networkidle');
    await shown(page, 'admin-console', /admin/i);
    expect(w.cspViolations).toEqual([]);
  });
});
