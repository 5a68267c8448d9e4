// Invariant: every page and asset leaves with a Content-Security-Policy that allows no inline
// script or style and no framing, plus nosniff and a referrer policy; what users type (a factor's
// name) and what the URL carries (?next=) is rendered as text or refused, never as markup or an
// off-site redirect; and Chromium reports no CSP violation on any page — on both samples.
import { CONTENT_SECURITY_POLICY } from '../../sample-app/shared/pages/page-response';
import { enrollTotpOnPage, signInOnPage } from './support/page-flows';
import { describeOnBothSamples } from './support/sample-suite';

const PAGES = ['/ui', '/ui/sign-in', '/ui/enroll', '/ui/profile', '/ui/payments', '/ui/secure'];
// The pages' own scripts, and the browser client and passkey library they import as ES modules.
const ASSETS = [
  '/assets/app.css',
  '/assets/page.js',
  '/assets/mfa.js',
  '/assets/step-up-dialog.js',
  '/assets/challenge.js',
  '/assets/client/src/client.js',
  '/assets/client/libs/client/src/mfa-client.js',
  '/assets/vendor/simplewebauthn/index.js',
];

describeOnBothSamples('page security headers and escaping', (ctx) => {
  it('every page and asset carries the headers, and no page violates its CSP', async () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("style-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    const { page, baseUrl } = ctx;
    await signInOnPage(page, baseUrl, 'alice', '/ui/enroll');
    await enrollTotpOnPage(page, baseUrl); // the QR code image is on screen here
    await signInOnPage(page, baseUrl, 'alice', '/ui'); // a fresh session: /ui/secure shows the challenge page
    for (const path of [...PAGES, ...ASSETS]) {
      const res = (await page.goto(`${baseUrl}${path}`))!;
      const headers = res.headers();
      expect([path, headers['content-security-policy']]).toEqual([path, CONTENT_SECURITY_POLICY]);
      expect([path, headers['x-content-type-options']]).toEqual([path, 'nosniff']);
      expect([path, headers['referrer-policy']]).toEqual([path, 'same-origin']);
      expect([path, headers['x-frame-options']]).toEqual([path, 'DENY']);
      if (ASSETS.includes(path)) expect([path, res.status()]).toEqual([path, 200]);
    }
    expect((await page.goto(`${baseUrl}/assets/challenge.js`))!.headers()['content-type']).toMatch(/^text\/javascript/);
    for (const path of ['/assets/client/libs/client/src/mfa-client.js', '/assets/vendor/simplewebauthn/index.js'])
      expect([path, (await page.goto(`${baseUrl}${path}`))!.headers()['content-type']]).toEqual([
        path,
        'text/javascript; charset=utf-8',
      ]);
    // Nothing outside the public folder, the client's sources and the passkey library's build.
    for (const path of [
      '/assets/..%2Fsample-app.module.ts',
      '/assets/client/src/index.js',
      '/assets/client/libs/client/src/..%2F..%2F..%2Fsrc%2Fcore.js',
      '/assets/vendor/simplewebauthn/..%2Fpackage.json',
    ])
      expect([path, (await page.goto(`${baseUrl}${path}`))!.status()]).toEqual([path, 404]);
    expect(ctx.cspViolations()).toEqual([]);
  }, 90_000);

  it('a factor named with markup shows as text; ?next= never leaves the sample', async () => {
    const { page, baseUrl } = ctx;
    await signInOnPage(page, baseUrl, 'bob', '/ui/enroll');
    await enrollTotpOnPage(page, baseUrl);
    await page.goto(`${baseUrl}/ui/profile`);
    const evil = '<img src=x onerror=alert(1)>';
    await page.locator('form.rename input').fill(evil);
    await page.locator('form.rename').getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('status').filter({ hasText: 'Renamed to' }).waitFor();
    await page.reload();
    expect(await page.locator('#factor-table tbody th').textContent()).toBe(evil);
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    await page.goto(`${baseUrl}/ui/sign-in?next=${encodeURIComponent('https://evil.example/')}`);
    expect(await page.locator('#sign-in-form').getAttribute('data-next')).toBe('/ui/profile');
    await page.goto(`${baseUrl}/ui/verify?next=${encodeURIComponent('//evil.example')}`);
    expect(new URL(page.url()).origin).toBe(baseUrl);
    expect(ctx.cspViolations()).toEqual([]);
  }, 90_000);

  it('the JSON routes still answer JSON', async () => {
    const res = (await ctx.page.goto(`${ctx.baseUrl}/`))!;
    expect(res.headers()['content-type']).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ signIn: { route: 'POST /auth/login' } });
  });
});
