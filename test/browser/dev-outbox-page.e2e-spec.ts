// Invariant: in development the outbox page lists every text message and email the process
// sent, newest first, so a code read there opens the guarded page on the challenge page; with
// the outbox off (the default, and always under NODE_ENV=production) the page does not exist —
// on the Nest and the Express sample.
import type { Page } from 'playwright-core';
import request from 'supertest';
import { BACKENDS } from '../support/backends';
import { startSampleApp } from '../support/sample-host';
import { ADAPTERS } from '../support/test-app';
import { signInOnPage, signOutOnPage } from './support/page-flows';
import { describeOnBothSamples } from './support/sample-suite';

const EMAIL = 'alice.outbox@example.com';

/** The newest message to `to` on the outbox page, and the code in it. */
async function codeFromOutboxPage(outbox: Page, baseUrl: string, to: string): Promise<string> {
  await outbox.goto(`${baseUrl}/ui/outbox`);
  const newest = outbox.locator(`#outbox-list li[data-to="${to}"]`).first();
  return /\b\d{6}\b/.exec((await newest.locator('pre').textContent())!)![0];
}

describeOnBothSamples('the development outbox page', (ctx) => {
  it('bind an email with the code from the outbox page, then answer the challenge page with the next one', async () => {
    const { page, context, baseUrl } = ctx;
    const outbox = await context.newPage();
    await signInOnPage(page, baseUrl, 'alice', '/ui/enroll');
    await page.getByLabel('Email address').fill(EMAIL);
    await page.locator('#email-start').getByRole('button', { name: 'Send a code' }).click();
    await page.locator('#email-confirm').getByLabel('Code you received').waitFor();
    const enrollCode = await codeFromOutboxPage(outbox, baseUrl, EMAIL);
    await page.locator('#email-confirm').getByLabel('Code you received').fill(enrollCode);
    await page.locator('#email-confirm').getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: 'Email address added.' }).waitFor();

    await signOutOnPage(page);
    await signInOnPage(page, baseUrl, 'alice', '/ui/secure');
    const email = page.locator('form[data-method="email"]');
    await email.getByRole('button', { name: 'Send code' }).click();
    await page.getByRole('status').filter({ hasText: 'Code sent to' }).waitFor();
    const challengeCode = await codeFromOutboxPage(outbox, baseUrl, EMAIL);
    // Newest first: the challenge's code heads the list, the enrollment's follows.
    const toEmail = outbox.locator(`#outbox-list li[data-to="${EMAIL}"] pre`);
    expect(await toEmail.count()).toBe(2);
    expect(await toEmail.nth(1).textContent()).toContain(enrollCode);
    expect(await outbox.getByRole('heading', { level: 1 }).textContent()).toBe('Development outbox');

    await email.getByLabel('Code from the email').fill(challengeCode);
    await email.getByRole('button', { name: 'Verify' }).click();
    await page.locator('#guarded-content').waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/secure');
    await page.goto(`${baseUrl}/ui`);
    expect(await page.getByRole('link', { name: 'Development outbox' }).count()).toBe(1);
    expect(ctx.cspViolations()).toEqual([]);
  }, 90_000);
});

// No browser needed to see that the page is absent: SQLite and supertest.
describe.each(ADAPTERS)('the outbox page is absent by default via %s', (adapter) => {
  const saved = process.env.MFA_DEV_OUTBOX;
  afterEach(() => {
    if (saved === undefined) delete process.env.MFA_DEV_OUTBOX;
    else process.env.MFA_DEV_OUTBOX = saved;
  });

  it('answers 404, and the home page does not link to it', async () => {
    delete process.env.MFA_DEV_OUTBOX;
    const t = await startSampleApp(BACKENDS[0], adapter);
    try {
      await request(t.http).get('/ui/outbox').expect(404);
      expect((await request(t.http).get('/ui').expect(200)).text).not.toContain('/ui/outbox');
    } finally {
      await t.close();
    }
  });
});
