// Invariant: a transfer from /ui/payments steps up in place: the browser client's `mfa.fetch`
// meets the 401 MFA_REQUIRED with the page's own dialog, and only a right code sends the
// transfer (its one retry). The policy demands an authenticator app in the session and then a
// fresh app or backup code for every single transfer (maxAge 0), so the next transfer asks again.
// Cancelling sends nothing; wrong codes until 429 MFA_LOCKED end in the lockout message, read
// at once — on the Nest and the Express sample.
import type { Page, Response } from 'playwright-core';
import { alertText, EnrolledApp, enrollTotpOnPage, signInOnPage, stepUpDialog } from './support/page-flows';
import { describeOnBothSamples } from './support/sample-suite';

const isTransfer = (res: Response) =>
  res.request().method() === 'POST' && new URL(res.url()).pathname === '/payments/transfer';
const isVerify = (res: Response) => /^\/mfa\/challenges\/[^/]+\/verify$/.test(new URL(res.url()).pathname);

/** Every answer to POST /payments/transfer this page gets, as it comes. */
function watchTransfers(page: Page): Response[] {
  const seen: Response[] = [];
  page.on('response', (res) => {
    if (isTransfer(res)) seen.push(res);
  });
  return seen;
}

/** Enrolls an authenticator app (which verifies this session with it) and opens the payments page. */
async function openPayments(page: Page, baseUrl: string, username: string): Promise<EnrolledApp> {
  await signInOnPage(page, baseUrl, username, '/ui/enroll');
  const enrolled = await enrollTotpOnPage(page, baseUrl);
  await page.goto(`${baseUrl}/ui/payments`);
  await page.locator('#transfer-form').waitFor();
  return enrolled;
}

/** Submits the transfer form; resolves once the server asked for MFA and the dialog is open. */
async function sendTransfer(page: Page, amount: string) {
  await page.getByLabel('Amount').fill(amount);
  const asked = page.waitForResponse((res) => isTransfer(res) && res.status() === 401);
  await page.getByRole('button', { name: 'Send transfer' }).click();
  const challenge = ((await (await asked).json()) as { challenge: { requirement: unknown } }).challenge;
  const dialog = stepUpDialog(page);
  await dialog.waitFor();
  return { dialog, challenge, code: dialog.getByLabel('Code', { exact: true }) };
}

describeOnBothSamples('step-up for a transfer, in a dialog on the page', (ctx) => {
  it('a code from the app sends the transfer; the next transfer asks again', async () => {
    const { page, baseUrl } = ctx;
    const { app, backupCodes } = await openPayments(page, baseUrl, 'alice');
    const transfers = watchTransfers(page);

    const first = await sendTransfer(page, '25');
    // What the policy demands for each transfer: one fresh app or backup code, good for this transfer alone.
    expect(first.challenge.requirement).toEqual({ steps: [{ factors: ['backup_code', 'totp'], maxAge: 0 }] });
    const need = page.locator(`#${await first.dialog.getAttribute('aria-describedby')}`);
    expect(await need.textContent()).toBe(
      'To go on, use a backup code or an authenticator app for this one operation.',
    );
    const methods = first.dialog.getByRole('group', { name: 'Verify with' });
    expect(await methods.getByRole('radio').count()).toBe(2);
    expect(await methods.locator('label').allTextContents()).toEqual(['Authenticator app', 'Backup code']);
    expect(await first.dialog.getByRole('radio', { name: 'Authenticator app' }).isChecked()).toBe(true);
    expect(await first.dialog.getByRole('button', { name: 'Use a passkey' }).count()).toBe(0); // not offered here
    expect(await first.dialog.getByRole('button', { name: 'Cancel' }).isVisible()).toBe(true);
    expect(await first.code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await first.code.getAttribute('inputmode')).toBe('numeric');
    expect(await first.code.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    await first.code.fill(await app.nextCode());
    const sent = page.waitForResponse((res) => isTransfer(res) && res.status() === 200);
    await first.code.press('Enter');
    expect(await (await sent).json()).toEqual({ transferred: true });
    const status = page.getByRole('status').filter({ hasText: 'Transfer sent.' });
    await status.waitFor();
    await first.dialog.waitFor({ state: 'hidden' });
    expect(transfers.map((r) => r.status())).toEqual([401, 200]); // the one request, and its one retry

    // maxAge 0: the verification was spent on that transfer, so the next one asks again; a
    // backup code, the policy's other accepted factor, answers it as well.
    const second = await sendTransfer(page, '40');
    expect(second.challenge.requirement).toEqual(first.challenge.requirement);
    expect(transfers.map((r) => r.status())).toEqual([401, 200, 401]);
    await second.dialog.getByRole('radio', { name: 'Backup code' }).check();
    expect(await second.code.getAttribute('inputmode')).toBe('text'); // backup codes hold letters
    await second.code.fill(backupCodes[0]);
    const sentAgain = page.waitForResponse((res) => isTransfer(res) && res.status() === 200);
    await second.code.press('Enter');
    await sentAgain;
    await status.waitFor();
    await second.dialog.waitFor({ state: 'hidden' });
    expect(transfers.map((r) => r.status())).toEqual([401, 200, 401, 200]);
    expect(ctx.cspViolations()).toEqual([]);
  }, 110_000);

  it('Cancel closes the dialog and sends no transfer', async () => {
    const { page, baseUrl } = ctx;
    await openPayments(page, baseUrl, 'alice');
    const transfers = watchTransfers(page);
    const verifies: Response[] = [];
    page.on('response', (res) => {
      if (isVerify(res)) verifies.push(res);
    });

    const { dialog } = await sendTransfer(page, '25');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('status').filter({ hasText: 'Transfer cancelled.' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByRole('status').filter({ hasText: 'Transfer sent.' }).count()).toBe(0);
    expect(transfers.map((r) => r.status())).toEqual([401]); // no retry: nothing was sent
    expect(verifies).toEqual([]);
    expect(ctx.cspViolations()).toEqual([]);
  }, 90_000);

  it('wrong codes until 429 MFA_LOCKED: the dialog asks again each time, then the page says until when', async () => {
    const { page, baseUrl } = ctx;
    const { app } = await openPayments(page, baseUrl, 'bob');
    const transfers = watchTransfers(page);
    const right = await app.nextCode();
    const wrong = right === '000000' ? '111111' : '000000';

    const answers: Response[] = [];
    const { dialog, code } = await sendTransfer(page, '25');
    for (let attempt = 0; attempt < 10 && !answers.some((r) => r.status() === 429); attempt++) {
      await code.fill(wrong);
      const answered = page.waitForResponse(isVerify);
      await code.press('Enter');
      answers.push(await answered);
      // A wrong code reopens the dialog with the reason, read at once.
      if (answers.at(-1)!.status() === 401)
        await dialog
          .getByRole('alert')
          .filter({ hasText: /not right/ })
          .waitFor();
    }
    expect(answers.map((r) => r.status())).toEqual([401, 401, 401, 401, 401, 429]);
    expect(((await answers.at(-1)!.json()) as { code: string }).code).toBe('MFA_LOCKED');

    // Locked: the dialog stops inviting tries, and the page says so and until when.
    const message = await alertText(page, /locked/);
    expect(message).toMatch(/this method is locked for \d+ minutes \(until \d{1,2}:\d{2}/);
    expect(message).toContain('even a right code is refused');
    expect(await dialog.count()).toBe(0);
    expect(transfers.map((r) => r.status())).toEqual([401]); // the one request, never sent again
    expect(ctx.cspViolations()).toEqual([]);
  }, 110_000);
});
