// Invariant: every page and asset leaves with a Content-Security-Policy that allows no inline
// script or style and no framing, plus nosniff and a referrer policy; what users type (a factor's
// name) and what the URL carries (?next=) is rendered as text or refused, never as markup or an
// off-site redirect; and Chromium reports no CSP violation on any page — on both samples.
import type { Browser } from 'playwright-core';
import { CONTENT_SECURITY_POLICY } from '../../sample-app/shared/pages/page-response';
import { RunningSample, SAMPLES, startSample } from './support/browser-sample';
import { describeInChromium, launchChromium, openPage, WatchedPage } from './support/chromium';
import { enrollTotpOnPage, signInOnPage } from './support/page-flows';

// A real browser on a busy machine, and TOTP codes on the real clock that may wait for the next step.
jest.setTimeout(120_000);

const PAGES = ['/ui', '/ui/sign-in', '/ui/enroll', '/ui/profile', '/ui/payments', '/ui/secure'];
const ASSETS = ['/assets/app.css', '/assets/page.js', '/assets/mfa-api.js', '/assets/challenge.js'];

describeInChromium('page security headers and escaping, in Chromium', () => {
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

    it('every page and asset carries the headers, and no page violates its CSP', async () => {
      expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
      expect(CONTENT_SECURITY_POLICY).toContain("style-src 'self'");
      expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
      expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
      const { page } = w;
      await signInOnPage(page, sample.baseUrl, 'alice', '/ui/enroll');
      await enrollTotpOnPage(page, sample.baseUrl); // the QR code image is on screen here
      await signInOnPage(page, sample.baseUrl, 'alice', '/ui'); // a fresh session: /ui/secure shows the challenge page
      for (const path of [...PAGES, ...ASSETS]) {
        const res = (await page.goto(`${sample.baseUrl}${path}`))!;
        const headers = res.headers();
        expect([path, headers['content-security-policy']]).toEqual([path, CONTENT_SECURITY_POLICY]);
        expect([path, headers['x-content-type-options']]).toEqual([path, 'nosniff']);
        expect([path, headers['referrer-policy']]).toEqual([path, 'same-origin']);
        expect([path, headers['x-frame-options']]).toEqual([path, 'DENY']);
      }
      expect((await page.goto(`${sample.baseUrl}/assets/challenge.js`))!.headers()['content-type']).toMatch(
        /^text\/javascript/,
      );
      expect((await page.goto(`${sample.baseUrl}/assets/..%2Fsample-app.module.ts`))!.status()).toBe(404);
      expect(w.cspViolations).toEqual([]);
    }, 90_000);

    it('a factor named with markup shows as text; ?next= never leaves the sample', async () => {
      const { page } = w;
      await signInOnPage(page, sample.baseUrl, 'bob', '/ui/enroll');
      await enrollTotpOnPage(page, sample.baseUrl);
      await page.goto(`${sample.baseUrl}/ui/profile`);
      const evil = '<img src=x onerror=alert(1)>';
      await page.locator('form.rename input').fill(evil);
      await page.locator('form.rename').getByRole('button', { name: 'Rename' }).click();
      await page.getByRole('status').filter({ hasText: 'Renamed to' }).waitFor();
      await page.reload();
      expect(await page.locator('#factor-table tbody th').textContent()).toBe(evil);
      expect(await page.locator('img[src="x"]').count()).toBe(0);

      await page.goto(`${sample.baseUrl}/ui/sign-in?next=${encodeURIComponent('https://evil.example/')}`);
      expect(await page.locator('#sign-in-form').getAttribute('data-next')).toBe('/ui/profile');
      await page.goto(`${sample.baseUrl}/ui/verify?next=${encodeURIComponent('//evil.example')}`);
      expect(new URL(page.url()).origin).toBe(sample.baseUrl);
      expect(w.cspViolations).toEqual([]);
    }, 90_000);

    it('the JSON routes still answer JSON', async () => {
      const res = (await w.page.goto(`${sample.baseUrl}/`))!;
      expect(res.headers()['content-type']).toMatch(/^application\/json/);
      expect(await res.json()).toMatchObject({ signIn: { route: 'POST /auth/login' } });
    });
  });
});
