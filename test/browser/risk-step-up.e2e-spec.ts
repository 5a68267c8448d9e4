// Invariant: a sign-in from a country the user never verified from is stepped up where nothing
// else would ask — on Payments, where the remembered browser let the same person in from home a
// minute earlier. A new country alone (France, next door) is enough for the policy's
// unusual-sign-in rule; one no plane reaches that fast (Brazil) is stepped up as well. The page
// says nothing of why; the admin console does: its audit trail shows the risk and its signals in
// words, and explain what a sign-in from there would face. The country comes from the home page's
// development-only control (a cookie the sample copies into the edge's `cf-ipcountry` header) or
// from the header itself — on the Nest and the Express sample.
import type { Page } from 'playwright-core';
import { answerStepUp, enrollTotpOnPage, signInOnPage, signOutOnPage, stepUpDialog } from './support/page-flows';
import { describeOnBothSamples } from './support/sample-suite';

/** Chooses where this browser's requests come from on the home page, as a developer would. */
async function comeFrom(page: Page, baseUrl: string, code: string, name: string): Promise<void> {
  await page.goto(`${baseUrl}/ui`);
  await page.getByLabel('Where your requests come from').selectOption(code);
  await page.getByRole('button', { name: 'Use this country' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `From now on, your requests come from ${name} (${code}).` })
    .waitFor();
  // The next request carries it: the home page says what MFA read.
  await page.reload();
  await page
    .locator('#country-now')
    .filter({ hasText: `reached MFA from ${name}` })
    .waitFor();
}

/** The audit rows for u-alice of `type`; the trail is written in the background, so it searches until `expected` shows. */
async function auditRows(page: Page, type: string, expected: RegExp): Promise<string[]> {
  await page
    .getByLabel(/^User id/)
    .nth(1)
    .fill('u-alice');
  await page.getByLabel(/^Event type/).fill(type);
  for (let attempt = 0; ; attempt++) {
    await page.locator('#audit-form').getByRole('button', { name: 'Search' }).click();
    await page.locator('#audit-form:not([aria-busy])').waitFor();
    const rows = await page.locator('#audit-table tbody tr').allTextContents();
    if (rows.some((row) => expected.test(row)) || attempt === 20) return rows;
    await page.waitForTimeout(250);
  }
}

/** The console's answer to "what would u-alice face on GET /ui/payments from `country`?": the outcome and the risk line. */
async function explainPayments(page: Page, country: string): Promise<[string, string]> {
  await page
    .getByLabel(/^User id/)
    .last()
    .fill('u-alice');
  await page.getByLabel('Route').selectOption('GET /ui/payments');
  await page.getByLabel(/^Country/).fill(country);
  await page.getByRole('button', { name: 'Explain' }).click();
  const outcome = page.locator('#explain-outcome').filter({ hasText: ` from ${country.toUpperCase()} under` });
  await outcome.waitFor();
  return [(await outcome.textContent())!, (await page.locator('#explain-risk').textContent())!];
}

// At least the new country's own weight (0.5), with the signal named in words.
const NEW_COUNTRY_BR = /Risk (0\.[5-9]\d*|1) — .*new country BR/;

describeOnBothSamples('a sign-in from a new country steps up', (ctx) => {
  it('Payments asks from France and Brazil where the remembered browser sufficed from Germany; the console says why', async () => {
    const { page, baseUrl } = ctx;
    await comeFrom(page, baseUrl, 'DE', 'Germany');
    expect((await ctx.context.cookies()).find((c) => c.name === 'sample_country')).toMatchObject({
      value: 'DE',
      sameSite: 'Lax',
      path: '/',
    });
    await signInOnPage(page, baseUrl, 'alice', '/ui/enroll');
    const { app } = await enrollTotpOnPage(page, baseUrl);
    await signOutOnPage(page);

    // From Germany, alice answers Payments' challenge and has this browser remembered: MFA learns
    // her country and browser (only a verified challenge teaches).
    await signInOnPage(page, baseUrl, 'alice', '/ui/payments');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm it’s you');
    await page.getByLabel('Remember this browser').check();
    await page.getByLabel('Code from your authenticator app').fill(await app.nextCode());
    await page.locator('form[data-method="totp"]').getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.locator('#guarded-content').waitFor();
    await signOutOnPage(page);

    // The control: a fresh sign-in from Germany opens Payments at once, the remembered browser standing in.
    await signInOnPage(page, baseUrl, 'alice', '/ui/payments');
    await page.locator('#guarded-content').waitFor();
    await signOutOnPage(page);

    // From France, next door: a new country alone. The remembered browser would still do for
    // Payments, so what asks is the policy's unusual-sign-in rule, for a factor of this session.
    await comeFrom(page, baseUrl, 'FR', 'France');
    await signInOnPage(page, baseUrl, 'alice', '/ui/payments');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm it’s you');
    expect(await page.locator('#challenge-need').textContent()).toContain('verified in the last 5 minutes');
    await signOutOnPage(page);

    // From Brazil, a minute after Germany: the same browser and password, and Payments asks.
    await comeFrom(page, baseUrl, 'BR', 'Brazil');
    await signInOnPage(page, baseUrl, 'alice', '/ui/payments');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm it’s you');
    expect(new URL(page.url()).pathname).toBe('/ui/payments');
    // Nothing tells the person signing in which trait gave them away.
    expect(await page.locator('main').textContent()).not.toMatch(/risk|countr|travel|brazil|\bBR\b/i);

    // Alice at her desk in Germany, in another browser behind the edge's own header, opens the
    // admin console; it asks for her own factor first.
    const desk = await ctx.openPage();
    await desk.context.setExtraHTTPHeaders({ 'cf-ipcountry': 'DE' });
    await signInOnPage(desk.page, baseUrl, 'alice', '/ui/admin');
    await stepUpDialog(desk.page).waitFor();
    await answerStepUp(desk.page, await app.nextCode());
    await desk.page.locator('#policy-versions tbody tr').first().waitFor();

    // The audit trail: each challenge from abroad leads with its risk, in words, then the rule that asked.
    const rows = await auditRows(desk.page, 'challenge.issued', NEW_COUNTRY_BR);
    expect(rows.filter((row) => NEW_COUNTRY_BR.test(row))).toHaveLength(1);
    expect(rows.filter((row) => /Risk [\d.]+ — new country FR(?!,).*unusual-sign-in/.test(row))).toHaveLength(1);
    const risk = desk.page.locator('#audit-table strong.risk').filter({ hasText: 'new country BR' });
    expect(await risk.textContent()).toMatch(/^Risk (0\.[5-9]\d*|1) — /);

    // Explain: from Brazil the risk and its signals; from Germany none fired.
    const [fromBrazil, brazilRisk] = await explainPayments(desk.page, 'br');
    expect(fromBrazil).toMatch(
      /^Challenged on GET \/ui\/payments from BR under policy version 1; deciding rule: \S+\.$/,
    );
    expect(brazilRisk).toMatch(NEW_COUNTRY_BR);
    const [, germanyRisk] = await explainPayments(desk.page, 'DE');
    expect(germanyRisk).toBe('No risk signal fired.');
    expect(ctx.cspViolations()).toEqual([]);
  }, 110_000);
});
