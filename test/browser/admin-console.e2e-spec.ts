// Invariant: the admin console acts only through MFA's admin API and so only with the admin's own
// fresh MFA: opened in a session that has not verified, it asks once, in the step-up dialog on the
// console itself, and then goes on with the same user. There the admin resets bob's factor and issues a recovery
// ticket that bob redeems (and enrolls anew), finds both in the filtered, paged audit trail, and
// explains what a user would face on a route — on the Nest and the Express sample. Bob, no
// admin, gets no console.
import { answerStepUp, enrollTotpOnPage, signInOnPage, signOutOnPage, stepUpDialog } from './support/page-flows';
import { describeOnBothSamples } from './support/sample-suite';

describeOnBothSamples('the admin console', (ctx) => {
  it('verify first, look up bob, reset his factor, issue a ticket he redeems; the audit trail shows it', async () => {
    const { page, baseUrl } = ctx;
    const b = await ctx.openPage();
    await signInOnPage(b.page, baseUrl, 'bob', '/ui/enroll');
    await enrollTotpOnPage(b.page, baseUrl);

    await signInOnPage(page, baseUrl, 'alice', '/ui/enroll');
    const { app } = await enrollTotpOnPage(page, baseUrl);
    await signOutOnPage(page);

    // A new session, password only: the console's first API call answers MFA_REQUIRED, and the
    // step-up dialog asks on the console itself; the calls after it go through without asking.
    const asked: number[] = [];
    page.on('response', (res) => {
      if (new URL(res.url()).pathname.startsWith('/mfa/admin/') && res.status() === 401) asked.push(res.status());
    });
    await signInOnPage(page, baseUrl, 'alice', '/ui/admin?user=u-bob');
    await stepUpDialog(page).waitFor();
    await answerStepUp(page, await app.nextCode());
    await page.locator('#user-heading').filter({ hasText: 'User u-bob' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/admin');
    expect(new URL(page.url()).searchParams.get('user')).toBe('u-bob');
    expect(asked).toHaveLength(1);
    const bobFactors = page.locator('#user-factors tbody tr');
    expect(await bobFactors.count()).toBe(1);
    expect(await bobFactors.first().textContent()).toContain('Authenticator app');
    expect(await page.locator('#user-codes').textContent()).toBe('10 unused backup codes left.');
    expect(await page.locator('#user-lockout').textContent()).toBe('Not locked.');

    page.once('dialog', (dialog) => void dialog.accept());
    await bobFactors.first().getByRole('button', { name: /Reset/ }).click();
    await page.getByRole('status').filter({ hasText: 'Authenticator app reset.' }).waitFor();
    expect(await bobFactors.allTextContents()).toEqual(['No factors.']);

    await page.getByLabel('Reason, for the audit trail').fill('identity checked by video call, ticket #4711');
    await page.getByRole('button', { name: 'Issue a recovery ticket' }).click();
    await page.locator('#ticket-panel').waitFor();
    const ticket = (await page.locator('#ticket-value').textContent())!;
    expect(ticket.length).toBeGreaterThan(20);

    // Bob, signed in with his password, redeems it and adds a factor anew.
    await b.page.goto(`${baseUrl}/ui/recovery`);
    await b.page.getByLabel('Recovery ticket').fill(ticket);
    await b.page.getByRole('button', { name: 'Redeem' }).click();
    await b.page.getByRole('status').filter({ hasText: 'Ticket accepted.' }).waitFor();
    await b.page.getByRole('link', { name: 'Add a factor now' }).click();
    await b.page.waitForURL((url) => url.pathname === '/ui/enroll');
    await enrollTotpOnPage(b.page, baseUrl);
    // Once only: the same ticket again is refused.
    await b.page.goto(`${baseUrl}/ui/recovery`);
    await b.page.getByLabel('Recovery ticket').fill(ticket);
    await b.page.getByRole('button', { name: 'Redeem' }).click();
    await b.page.getByRole('alert').filter({ hasText: /\S/ }).waitFor();

    // The audit trail, filtered to bob, a page at a time.
    await page
      .getByLabel(/^User id/)
      .nth(1)
      .fill('u-bob');
    await page.getByLabel('Events per page').fill('2');
    await page.locator('#audit-form').getByRole('button', { name: 'Search' }).click();
    await page.locator('#audit-summary').filter({ hasText: 'Page 1: 2 event(s)' }).waitFor();
    const auditRows = page.locator('#audit-table tbody tr');
    const first = await auditRows.allTextContents();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.locator('#audit-summary').filter({ hasText: 'Page 2:' }).waitFor();
    expect(await auditRows.allTextContents()).not.toEqual(first);

    await page.getByLabel(/^Event type/).fill('recovery.ticket_issued');
    await page.getByLabel('Events per page').fill('20');
    await page.locator('#audit-form').getByRole('button', { name: 'Search' }).click();
    await page.locator('#audit-summary').filter({ hasText: 'Page 1: 1 event(s)' }).waitFor();
    expect(await auditRows.first().textContent()).toMatch(/recovery\.ticket_issued.*u-bob.*u-alice/);
    for (const type of ['enrollment.reset', 'recovery.ticket_redeemed']) {
      await page.getByLabel(/^Event type/).fill(type);
      await page.locator('#audit-form').getByRole('button', { name: 'Search' }).click();
      await page.locator('#audit-table tbody tr').filter({ hasText: type }).first().waitFor();
    }
    expect(ctx.cspViolations()).toEqual([]);
  }, 110_000);

  it('policy versions, explain and the compliance report; no console for a user who is not an admin', async () => {
    const { page, baseUrl } = ctx;
    const b = await ctx.openPage();
    await signInOnPage(b.page, baseUrl, 'bob', '/ui/enroll');
    await enrollTotpOnPage(b.page, baseUrl); // a second user the store knows: two pages of one
    await signInOnPage(page, baseUrl, 'alice', '/ui/enroll');
    await enrollTotpOnPage(page, baseUrl); // confirming verified this session: no detour
    await page.goto(`${baseUrl}/ui`);
    await page.getByRole('navigation').getByRole('link', { name: 'Admin console' }).click();
    await page.waitForURL((url) => url.pathname === '/ui/admin');
    const versions = page.locator('#policy-versions tbody tr');
    await versions.first().waitFor();
    expect(await versions.count()).toBe(1);
    expect(await versions.first().textContent()).toMatch(/^1.*Active$/);

    await page
      .getByLabel(/^User id/)
      .last()
      .fill('u-alice');
    await page.getByLabel('Route').selectOption('POST /payments/transfer');
    await page.getByRole('button', { name: 'Explain' }).click();
    const outcome = page.locator('#explain-outcome');
    await outcome.filter({ hasText: /\S/ }).waitFor();
    expect(await outcome.textContent()).toMatch(
      /^Challenged on POST \/payments\/transfer under policy version 1; deciding rule: \S+\.$/,
    );
    expect(await page.locator('#explain-reasons li').count()).toBeGreaterThan(0);
    expect(await page.locator('#explain-layers tbody tr').count()).toBeGreaterThan(0);

    await page
      .getByLabel(/^User id/)
      .last()
      .fill('u-bob');
    await page.getByLabel('Route').selectOption('GET /wiki (no decorator)');
    await page.getByRole('button', { name: 'Explain' }).click();
    await outcome.filter({ hasText: 'GET /wiki' }).waitFor();
    expect(await outcome.textContent()).toMatch(/^(Allowed|Challenged|Denied) on GET \/wiki/);

    // The compliance report, a page of users at a time.
    await page.getByLabel('Users per page').fill('1');
    await page.getByRole('button', { name: 'Run the report' }).click();
    const summary = page.locator('#compliance-summary');
    await summary.filter({ hasText: /^Page 1: 1 user\(s\) checked under policy v1/ }).waitFor();
    expect(await summary.textContent()).toContain('There are more users.');
    expect(await page.getByRole('link', { name: 'Download this page as CSV' }).getAttribute('href')).toBe(
      '/mfa/admin/compliance?format=csv&limit=1',
    );
    await page.getByRole('button', { name: 'Next page of users' }).click();
    await summary.filter({ hasText: /^Page 2: 1 user\(s\) checked/ }).waitFor();
    expect(await page.getByRole('link', { name: 'Download this page as CSV' }).getAttribute('href')).toMatch(
      /^\/mfa\/admin\/compliance\?format=csv&limit=1&cursor=[A-Za-z0-9_-]+$/,
    );

    await signInOnPage(b.page, baseUrl, 'bob', '/ui');
    expect(await b.page.getByRole('link', { name: 'Admin console' }).count()).toBe(0);
    const refused = (await b.page.goto(`${baseUrl}/ui/admin`))!;
    expect(refused.status()).toBe(403);
    expect(await b.page.getByRole('heading', { level: 1 }).textContent()).toBe('Admins only');
    expect(ctx.cspViolations()).toEqual([]);
  }, 90_000);
});
