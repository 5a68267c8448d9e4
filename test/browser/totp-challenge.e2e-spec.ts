// Invariant: with nothing but a browser, a user enrolls an authenticator app from the key on the
// page, sees the backup codes exactly once, and after signing in again meets the challenge page
// in place of the guarded page, answers it with a code and lands on that very page — on the Nest
// and the Express sample alike, with no Content-Security-Policy violation along the way.
import { enrollTotpOnPage, signInOnPage, signOutOnPage } from './support/page-flows';
import { describeOnBothSamples } from './support/sample-suite';

describeOnBothSamples('TOTP on the pages', (ctx) => {
  it('enroll from the manual key, backup codes once, then the challenge page opens the guarded page', async () => {
    const { page, baseUrl } = ctx;
    // Not signed in: the guarded page sends the browser to sign in, and back.
    await page.goto(`${baseUrl}/ui/secure`);
    expect(new URL(page.url()).pathname).toBe('/ui/sign-in');
    await signInOnPage(page, baseUrl, 'alice', '/ui/secure');

    // No factor yet: the guarded page says so and links to enrollment.
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Add a second factor first');
    await page.getByRole('link', { name: 'Add a factor' }).last().click();
    await page.waitForURL((url) => url.pathname === '/ui/enroll');

    const { app, backupCodes, qrSrc } = await enrollTotpOnPage(page, baseUrl);
    expect(qrSrc).toMatch(/^data:image\/svg\+xml/);
    expect(backupCodes).toHaveLength(10);
    expect(backupCodes[0]).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/i);

    // Confirming verified this session: "I have saved them" goes on to the page first asked for.
    await page.getByRole('link', { name: 'I have saved them' }).click();
    await page.locator('#guarded-content').waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/secure');

    // Shown once: neither the enrollment page nor the profile shows a code again, only how many are left.
    await page.goto(`${baseUrl}/ui/enroll`);
    expect(await page.locator('#backup-codes').isHidden()).toBe(true);
    await page.goto(`${baseUrl}/ui/profile`);
    expect(await page.locator('#codes-remaining').textContent()).toBe('10 unused backup codes left.');
    for (const code of backupCodes) expect(await page.content()).not.toContain(code);

    await signOutOnPage(page);
    expect(await page.getByRole('status').first().textContent()).toContain('You are signed out.');

    // A new session: the guarded page answers 401 with the challenge page in its place.
    await signInOnPage(page, baseUrl, 'alice', '/ui/secure');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm it’s you');
    const codeInput = page.getByLabel('Code from your authenticator app');
    expect(await codeInput.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await codeInput.getAttribute('inputmode')).toBe('numeric');
    await codeInput.fill(await app.nextCode());
    const landed = page.waitForResponse((res) => new URL(res.url()).pathname === '/ui/secure');
    await page.locator('form[data-method="totp"]').getByRole('button', { name: 'Verify' }).click();
    expect((await landed).status()).toBe(200);
    await page.locator('#guarded-content').waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/secure');
    expect(ctx.cspViolations()).toEqual([]);
  }, 90_000);

  it('the challenge page is usable from the keyboard alone', async () => {
    const { page, baseUrl } = ctx;
    await signInOnPage(page, baseUrl, 'bob', '/ui/enroll');
    const { app } = await enrollTotpOnPage(page, baseUrl);
    await signOutOnPage(page);
    await signInOnPage(page, baseUrl, 'bob', '/ui/secure');
    // Tab to the code field, type, press Enter: no pointer involved.
    const codeInput = page.getByLabel('Code from your authenticator app');
    for (let i = 0; i < 30 && !(await codeInput.evaluate((el) => el === el.ownerDocument.activeElement)); i++)
      await page.keyboard.press('Tab');
    await page.keyboard.type(await app.nextCode());
    await page.keyboard.press('Enter');
    await page.locator('#guarded-content').waitFor();
    expect(ctx.cspViolations()).toEqual([]);
  }, 90_000);
});
