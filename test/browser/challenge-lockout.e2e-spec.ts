// Invariant: after too many wrong codes the challenge page says plainly that the method is
// locked and until when (the 429 MFA_LOCKED answer's Retry-After), in the alert region a screen
// reader reads at once, and stops inviting tries: its Verify button waits out the lock. Other
// methods stay offered. Same on the Nest and the Express sample.
import { alertText, enrollTotpOnPage, signInOnPage, signOutOnPage } from './support/page-flows';
import { describeOnBothSamples } from './support/sample-suite';

describeOnBothSamples('lockout on the challenge page', (ctx) => {
  it('wrong codes until 429 MFA_LOCKED: the page names the lock and its end, and holds the button', async () => {
    const { page, baseUrl } = ctx;
    await signInOnPage(page, baseUrl, 'bob', '/ui/enroll');
    const { app } = await enrollTotpOnPage(page, baseUrl);
    await signOutOnPage(page);
    await signInOnPage(page, baseUrl, 'bob', '/ui/secure');

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
    expect(ctx.cspViolations()).toEqual([]);
  }, 90_000);
});
