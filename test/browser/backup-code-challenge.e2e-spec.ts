// Invariant: a backup code answers the challenge page once and never again, and "remember this
// browser" says truthfully what it waives: the verify answer's `waives` (here the payments
// service) is what the page prints, and afterwards exactly that page opens without a challenge
// while the others still ask — on the Nest and the Express sample.
import { alertText, enrollTotpOnPage, signInOnPage, signOutOnPage } from './support/page-flows';
import { describeOnBothSamples } from './support/sample-suite';

describeOnBothSamples('backup codes and remembered browsers on the pages', (ctx) => {
  it('a backup code opens the page once; remembering the browser waives only what the page said', async () => {
    const { page, baseUrl } = ctx;
    await signInOnPage(page, baseUrl, 'alice', '/ui/enroll');
    const { backupCodes } = await enrollTotpOnPage(page, baseUrl);
    await signOutOnPage(page);

    // Payments, answered with a backup code and "remember this browser".
    await signInOnPage(page, baseUrl, 'alice', '/ui/payments');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm it’s you');
    expect(await page.locator('#backup-hint').textContent()).toContain('You have 10 unused codes');
    await page.getByLabel('Remember this browser').check();
    await page.getByRole('textbox', { name: 'Backup code' }).fill(backupCodes[0].toUpperCase()); // typed in any case
    await page.locator('form[data-method="backup_code"]').getByRole('button', { name: 'Verify' }).click();
    const outcome = page.locator('#device-outcome');
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(/stands in for a second factor only on: service payments\./);
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.locator('#guarded-content').waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/payments');

    // A new session: the remembered browser opens payments directly, and nothing else.
    await signOutOnPage(page);
    await signInOnPage(page, baseUrl, 'alice', '/ui/payments');
    expect(await page.locator('#guarded-content').textContent()).toContain('Balance');
    await page.goto(`${baseUrl}/ui/secure`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm it’s you');

    // The spent code is refused, announced in the alert region; a fresh one opens the page.
    await page.getByRole('textbox', { name: 'Backup code' }).fill(backupCodes[0]);
    await page.locator('form[data-method="backup_code"]').getByRole('button', { name: 'Verify' }).click();
    expect(await alertText(page, /not right/)).toContain('expired or was already used');
    await page.getByRole('textbox', { name: 'Backup code' }).fill(backupCodes[1]);
    await page.locator('form[data-method="backup_code"]').getByRole('button', { name: 'Verify' }).click();
    await page.locator('#guarded-content').waitFor();

    // The profile counts what is left and lists this browser, which can be forgotten there.
    await page.goto(`${baseUrl}/ui/profile`);
    expect(await page.locator('#codes-remaining').textContent()).toBe('8 unused backup codes left.');
    const device = page.locator('#device-list li');
    expect(await device.textContent()).toContain('(this browser)');
    await device.getByRole('button', { name: /Forget/ }).click();
    await page.getByRole('status').filter({ hasText: 'That browser is forgotten' }).waitFor();
    expect(await page.locator('#device-list li').count()).toBe(0);
    expect(ctx.cspViolations()).toEqual([]);
  }, 90_000);

  it('new backup codes from the profile replace the old ones, shown once with copy and download', async () => {
    const { page, baseUrl } = ctx;
    await signInOnPage(page, baseUrl, 'bob', '/ui/enroll');
    const { backupCodes: old } = await enrollTotpOnPage(page, baseUrl);
    await page.goto(`${baseUrl}/ui/profile`);
    await page.getByRole('button', { name: 'Generate new codes' }).click();
    await page.getByRole('heading', { name: 'Your backup codes' }).waitFor();
    const fresh = await page.locator('#backup-code-list li').allTextContents();
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(old[0]);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download' }).click();
    expect((await download).suggestedFilename()).toBe('backup-codes.txt');

    await signOutOnPage(page);
    await signInOnPage(page, baseUrl, 'bob', '/ui/secure');
    await page.getByRole('textbox', { name: 'Backup code' }).fill(old[0]);
    await page.locator('form[data-method="backup_code"]').getByRole('button', { name: 'Verify' }).click();
    await alertText(page, /not right/);
    await page.getByRole('textbox', { name: 'Backup code' }).fill(fresh[0]);
    await page.locator('form[data-method="backup_code"]').getByRole('button', { name: 'Verify' }).click();
    await page.locator('#guarded-content').waitFor();
    expect(ctx.cspViolations()).toEqual([]);
  }, 90_000);
});
