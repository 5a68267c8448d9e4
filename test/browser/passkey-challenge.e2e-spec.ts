// Invariant: a passkey registered on the enrollment page with the browser's own WebAuthn API
// answers the challenge page, and adding another once the user holds one first asks for a
// passkey (the API's rule), which the page meets in the step-up dialog, offering nothing but a
// passkey, before the same request goes on — on the Nest and the Express sample, with
// Chromium's virtual authenticator as the device.
import { addVirtualAuthenticator } from './support/chromium';
import { alertText, enrollTotpOnPage, signInOnPage, signOutOnPage, stepUpDialog } from './support/page-flows';
import { describeOnBothSamples } from './support/sample-suite';

describeOnBothSamples('passkeys on the pages', (ctx) => {
  beforeEach(() => addVirtualAuthenticator(ctx.page));

  it('register a passkey, then answer the challenge page with it', async () => {
    const { page, baseUrl } = ctx;
    await signInOnPage(page, baseUrl, 'alice', '/ui/enroll');
    const { app } = await enrollTotpOnPage(page, baseUrl);

    // Confirming the app verified this session, so the passkey may be added right away.
    await page.getByLabel('Name for this passkey').fill('Work laptop');
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.getByRole('status').filter({ hasText: 'Passkey added.' }).waitFor();
    await page.goto(`${baseUrl}/ui/profile`);
    const row = page.locator('#factor-table tbody tr').filter({ hasText: 'Work laptop' });
    expect(await row.locator('td').first().textContent()).toContain('Passkey');

    // A new session verified with the app only: adding another passkey needs a passkey first.
    await signOutOnPage(page);
    await signInOnPage(page, baseUrl, 'alice', '/ui/secure');
    await page.getByLabel('Code from your authenticator app').fill(await app.nextCode());
    await page.locator('form[data-method="totp"]').getByRole('button', { name: 'Verify' }).click();
    await page.locator('#guarded-content').waitFor();
    await page.goto(`${baseUrl}/ui/enroll`);
    const started = page.waitForResponse(
      (res) => new URL(res.url()).pathname === '/mfa/webauthn/enrollments' && res.status() === 201,
    );
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    const dialog = stepUpDialog(page);
    await dialog.waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/enroll');
    const need = page.locator(`#${await dialog.getAttribute('aria-describedby')}`);
    expect(await need.textContent()).toContain('a passkey');
    // Nothing but a passkey will do: no code to type, no other method to pick.
    expect(await dialog.getByLabel('Code', { exact: true }).count()).toBe(0);
    expect(await dialog.getByRole('radio').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Use a passkey' }).click();
    // The passkey met the step-up, so the same request went on; the one virtual authenticator
    // already holds this account's passkey, so the browser makes no second one on it.
    await started;
    await dialog.waitFor({ state: 'hidden' });
    expect(await alertText(page, /already holds/)).toBe('This authenticator already holds a passkey for your account.');
    expect(new URL(page.url()).pathname).toBe('/ui/enroll');

    // And on an ordinary guarded page, in a new session.
    await signOutOnPage(page);
    await signInOnPage(page, baseUrl, 'alice', '/ui/secure');
    expect(await page.getByRole('heading', { name: 'Passkey' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.locator('#guarded-content').waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/secure');
    expect(ctx.cspViolations()).toEqual([]);
  }, 90_000);
});
