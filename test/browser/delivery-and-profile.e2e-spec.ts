// Invariant: email and phone are bound on the enrollment page by the code sent to them; the
// challenge page sends an email code on request and then counts down to the next resend; and
// the profile lists the other sessions and ends them for real (the other browser must sign in
// again), renames and removes factors — on the Nest and the Express sample.
import { lastCodeSentTo } from './support/browser-sample';
import { signInOnPage } from './support/page-flows';
import { describeOnBothSamples } from './support/sample-suite';

const EMAIL = 'alice.codes@example.com';
const PHONE = '+905321234512';

describeOnBothSamples('SMS, email and the profile on the pages', (ctx) => {
  it('bind email and phone, answer with an email code, end the other session, remove a factor', async () => {
    const { page, baseUrl } = ctx;
    const b = await ctx.openPage();
    await signInOnPage(page, baseUrl, 'alice', '/ui/enroll');
    await page.getByLabel('Email address').fill(EMAIL);
    await page.locator('#email-start').getByRole('button', { name: 'Send a code' }).click();
    const resend = page.locator('#email-confirm').getByRole('button', { name: /Resend code/ });
    await resend.waitFor();
    expect(await resend.textContent()).toMatch(/^Resend code in \d+ s$/);
    expect(await resend.isDisabled()).toBe(true);
    await page.locator('#email-confirm').getByLabel('Code you received').fill(lastCodeSentTo(EMAIL));
    await page.locator('#email-confirm').getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: 'Email address added.' }).waitFor();
    expect(await page.locator('#backup-code-list li').count()).toBe(10); // the first factor brings them

    await page.getByLabel('Phone number, international format').fill(PHONE);
    await page.locator('#sms-start').getByRole('button', { name: 'Send a code' }).click();
    await page.getByText(/^We sent a code to \+90/).waitFor();
    await page.locator('#sms-confirm').getByLabel('Code you received').fill(lastCodeSentTo(PHONE));
    await page.locator('#sms-confirm').getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: 'Phone number added.' }).waitFor();

    // Another browser signs in and answers the challenge page with an emailed code.
    await signInOnPage(b.page, baseUrl, 'alice', '/ui/secure');
    const email = b.page.locator('form[data-method="email"]');
    await email.getByRole('button', { name: 'Send code' }).click();
    await b.page.getByRole('status').filter({ hasText: 'Code sent to' }).waitFor();
    expect(await email.locator('[data-send]').textContent()).toMatch(/^Resend code in \d+ s$/);
    expect(await email.getByLabel('Code from the email').getAttribute('autocomplete')).toBe('one-time-code');
    await email.getByLabel('Code from the email').fill(lastCodeSentTo(EMAIL));
    await email.getByRole('button', { name: 'Verify' }).click();
    await b.page.locator('#guarded-content').waitFor();

    // The first browser sees that session and ends it.
    await page.goto(`${baseUrl}/ui/profile`);
    expect(await page.locator('#other-sessions').textContent()).toBe('You are signed in one other place.');
    await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await page.getByRole('status').filter({ hasText: 'Signed out 1 other session' }).waitFor();
    await b.page.goto(`${baseUrl}/ui/secure`);
    expect(new URL(b.page.url()).pathname).toBe('/ui/sign-in');

    // Rename the phone, then remove it.
    const phoneRow = page.locator('#factor-table tbody tr').filter({ hasText: 'Text message' });
    await phoneRow.getByRole('textbox').fill('Work phone');
    await phoneRow.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('status').filter({ hasText: 'Renamed to Work phone.' }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await phoneRow.getByRole('button', { name: /Remove/ }).click();
    await page.getByRole('status').filter({ hasText: 'Work phone removed.' }).waitFor();
    await page.reload();
    expect(await page.locator('#factor-table tbody tr').count()).toBe(1);
    expect(ctx.cspViolations()).toEqual([]);
  }, 90_000);
});
