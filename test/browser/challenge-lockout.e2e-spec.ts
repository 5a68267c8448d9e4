// Invariant: after too many wrong codes the challenge page says plainly that the method is
// locked and until when (the 429 MFA_LOCKED answer's Retry-After), in the alert region a screen
// reader reads at once, and stops inviting tries: its Verify button waits out the lock. Other
// methods stay offered. Same on the Nest and the Express sample.
import type { Browser } from 'playwright-core';
import { RunningSample, SAMPLES, startSample } from './support/browser-sample';
import { describeInChromium, launchChromium, openPage, WatchedPage } from './support/chromium';
import { alertText, enrollTotpOnPage, signInOnPage, signOutOnPage } from './support/page-flows';

// A real browser on a busy machine, and TOTP codes on the real clock that may wait for the next step.
jest.setTimeout(120_000);

describeInChromium('lockout on the challenge page, in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => (browser = await launchChromium()));
  afterAll(() => browser?.close());

  describe.each(SAMPLES)('%s sample', (kind) => {
    let sample: RunningSample;
    let w: WatchedPage;
    beforeEach(async () => {
      sample = await startSample(kind);
      w = await openPage(browser);
    });
    afterEach(async () => {
      await w.context.close();
      await sample.close();
    });

    it('wrong codes until 429 MFA_LOCKED: the page names the lock and its end, and holds the button', async () => {
      const { page } = w;
      await signInOnPage(page, sample.baseUrl, 'bob', '/ui/enroll');
      const { app } = await enrollTotpOnPage(page, sample.baseUrl);
      await signOutOnPage(page);
      await signInOnPage(page, sample.baseUrl, 'bob', '/ui/secure');

      const right = await app.nextCode();
      const wrong = right === '000000' ? '111111' : '000000';
      const form = page.locator('form[data-method="totp"]');
      const verify = form.getByRole('button', { name: 'Verify' });
      const answers: number[] = [];
      page.on('response', (res) => {
        if (res.url().endsWith('/verify')) answers.push(res.status());
      });
      for (let attempt = 0; attempt < 10 && !answers.includes(429); attempt++) {
        await page.getByLabel('Code from your authenticator app').fill(wrong);
        const answered = page.waitForResponse((res) => res.url().endsWith('/verify'));
        await verify.click(); // waits while the page still handles the previous answer (busy)
        await answered;
      }
      expect(answers.filter((s) => s === 401).length).toBeGreaterThanOrEqual(3);
      expect(answers.at(-1)).toBe(429);

      const message = await alertText(page, /locked/);
      expect(message).toMatch(/this method is locked for \d+ minutes \(until \d{1,2}:\d{2}/);
      expect(message).toContain('even a right code is refused');
      expect(await verify.isDisabled()).toBe(true);
      // The other ways to answer are still there.
      expect(await page.getByRole('textbox', { name: 'Backup code' }).isEnabled()).toBe(true);
      expect(w.cspViolations).toEqual([]);
    }, 90_000);
  });
});
