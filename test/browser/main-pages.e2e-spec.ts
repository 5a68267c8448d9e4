// Invariant: the main pages a person meets — sign-in, enrollment, backup codes, the challenge page,
// the profile and the admin console — render in Chromium with their heading and no CSP violation,
// on the Nest and the Express sample. With MFA_SCREENSHOTS=1 the Nest run also writes
// docs/screenshots/*.png, the pictures the README shows.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { enrollTotpOnPage, signInOnPage, signOutOnPage } from './support/page-flows';
import { describeOnBothSamples } from './support/sample-suite';

const SHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

describeOnBothSamples('the main pages', (ctx) => {
  const screenshots = () => !!process.env.MFA_SCREENSHOTS && ctx.kind === 'nest';
  beforeAll(() => {
    if (process.env.MFA_SCREENSHOTS) mkdirSync(SHOTS, { recursive: true });
  });

  const shown = async (page: Page, name: string, heading: RegExp) => {
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(heading);
    if (screenshots()) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };

  it('sign-in, enrollment, backup codes, the challenge page, the profile and the admin console', async () => {
    const { page, baseUrl } = ctx;
    await page.setViewportSize({ width: 1000, height: 760 });
    await page.goto(`${baseUrl}/ui/sign-in`);
    await shown(page, 'sign-in', /sign in/i);
    await signInOnPage(page, baseUrl, 'alice', '/ui/enroll');
    await shown(page, 'enroll', /.+/);
    const { app } = await enrollTotpOnPage(page, baseUrl);
    await page.locator('#backup-codes').waitFor();
    if (screenshots()) await page.screenshot({ path: join(SHOTS, 'backup-codes.png'), fullPage: true });

    await signOutOnPage(page);
    await signInOnPage(page, baseUrl, 'alice', '/ui/secure');
    await shown(page, 'challenge', /.+/);
    await page
      .getByLabel(/code/i)
      .first()
      .fill(await app.nextCode());
    await page.keyboard.press('Enter');
    await page.locator('#guarded-content').waitFor();

    await page.goto(`${baseUrl}/ui/profile`);
    await shown(page, 'profile', /.+/);
    await page.goto(`${baseUrl}/ui/admin?user=u-bob`);
    await page.waitForLoadState('networkidle');
    await shown(page, 'admin-console', /admin/i);
    expect(ctx.cspViolations()).toEqual([]);
  });
});
