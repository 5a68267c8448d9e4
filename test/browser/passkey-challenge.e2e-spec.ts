// Invariant: a passkey registered on the enrollment page with the browser's own WebAuthn API
// answers the challenge page, and adding another once the user holds one first asks for a
// passkey (the API's rule), which the page meets by a round trip through /ui/verify/passkey —
// on the Nest and the Express sample, with Chromium's virtual authenticator as the device.
import type { Browser } from 'playwright-core';
import { RunningSample, SAMPLES, startSample } from './support/browser-sample';
import { addVirtualAuthenticator, describeInChromium, launchChromium, openPage, WatchedPage } from './support/chromium';
import { enrollTotpOnPage, signInOnPage, signOutOnPage } from './support/page-flows';

// A real browser on a busy machine, and TOTP codes on the real clock that may wait for the next step.
jest.setTimeout(120_000);

describeInChromium('passkeys on the pages, in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => (browser = await launchChromium()));
  afterAll(() => browser?.close());

  describe.each(SAMPLES)('%s sample', (kind) => {
    let sample: RunningSample;
    let w: WatchedPage;
    beforeEach(async () => {
      sample = await startSample(kind);
      w = await openPage(browser);
      await addVirtualAuthenticator(w.page);
    });
    afterEach(async () => {
      await w.context.close();
      await sample.close();
    });

    it('register a passkey, then answer the challenge page with it', async () => {
      const { page } = w;
      await signInOnPage(page, sample.baseUrl, 'alice', '/ui/enroll');
      const { app } = await enrollTotpOnPage(page, sample.baseUrl);

      // Confirming the app verified this session, so the passkey may be added right away.
      await page.getByLabel('Name for this passkey').fill('Work laptop');
      await page.getByRole('button', { name: 'Create a passkey' }).click();
      await page.getByRole('status').filter({ hasText: 'Passkey added.' }).waitFor();
      await page.goto(`${sample.baseUrl}/ui/profile`);
      const row = page.locator('#factor-table tbody tr').filter({ hasText: 'Work laptop' });
      expect(await row.locator('td').first().textContent()).toContain('Passkey');

      // A new session verified with the app only: adding another passkey needs a passkey first.
      await signOutOnPage(page);
      await signInOnPage(page, sample.baseUrl, 'alice', '/ui/secure');
      await page.getByLabel('Code from your authenticator app').fill(await app.nextCode());
      await page.locator('form[data-method="totp"]').getByRole('button', { name: 'Verify' }).click();
      await page.locator('#guarded-content').waitFor();
      await page.goto(`${sample.baseUrl}/ui/enroll`);
      await page.getByRole('button', { name: 'Create a passkey' }).click();
      await page.waitForURL((url) => url.pathname === '/ui/verify/passkey');
      expect(new URL(page.url()).searchParams.get('next')).toBe('/ui/enroll');
      expect(await page.locator('#challenge-need').textContent()).toContain('a passkey');
      expect(await page.locator('form.method').count()).toBe(1); // nothing but a passkey will do
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await page.waitForURL((url) => url.pathname === '/ui/enroll');

      // And on an ordinary guarded page, in a new session.
      await signOutOnPage(page);
      await signInOnPage(page, sample.baseUrl, 'alice', '/ui/secure');
      expect(await page.getByRole('heading', { name: 'Passkey' }).isVisible()).toBe(true);
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await page.locator('#guarded-content').waitFor();
      expect(new URL(page.url()).pathname).toBe('/ui/secure');
      expect(w.cspViolations).toEqual([]);
    }, 90_000);
  });
});
