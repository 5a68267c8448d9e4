// Invariant: a version run report-only from the console's version table is never enforced, yet
// its disagreements reach the audit trail; comparing versions and replaying the trail under one
// ("what if") show the same change before anyone enforces it — on the Nest and the Express sample.
import { enrollTotpOnPage, signInOnPage } from './support/page-flows';
import { FROZEN, transferAnswer, reportOnlyVersions, auditRows } from './support/policy-console';
import { describeOnBothSamples } from './support/sample-suite';

describeOnBothSamples('report-only policy versions from the admin console', (ctx) => {
  it('run version 2 report-only: version 1 still decides, the trail shows the disagreement, compare and what-if show the freeze', async () => {
    const { page, baseUrl } = ctx;
    await signInOnPage(page, baseUrl, 'alice', '/ui/enroll');
    await enrollTotpOnPage(page, baseUrl);
    const created = await page.request.post(`${baseUrl}/mfa/admin/policy/versions`, {
      data: { document: FROZEN, comment: 'freeze transfers' },
    });
    expect(created.status()).toBe(201);

    await page.goto(`${baseUrl}/ui/admin`);
    const versions = page.locator('#policy-versions tbody tr');
    await versions.nth(1).waitFor();
    // Only a version other than the active one may run report-only.
    expect(
      await versions
        .nth(0)
        .getByRole('button', { name: /report-only/ })
        .count(),
    ).toBe(0);

    // Run version 2 report-only from its row: announced and marked, while version 1 stays active.
    await versions.nth(1).getByRole('button', { name: 'Run report-only version 2' }).click();
    const status = page.locator('#admin-status');
    await status.filter({ hasText: 'runs report-only' }).waitFor();
    expect(await status.textContent()).toBe(
      'Policy version 2 runs report-only beside version 1: never enforced, each disagreement audited as policy.report_only.',
    );
    await versions.nth(1).locator('.report-only').waitFor();
    expect(await versions.nth(1).textContent()).toMatch(/^2.*Report-onlyStop report-onlyActivate version 2$/);
    expect(await versions.nth(0).textContent()).toMatch(/^1.*Active$/);
    expect(await reportOnlyVersions(page, baseUrl)).toEqual([2]);

    // Version 1 still answers the transfer (a fresh code, not version 2's denial) ...
    expect(await transferAnswer(page, baseUrl)).toEqual([401, 'MFA_REQUIRED']);
    // ... and the trail records that version 2 would have denied it.
    const disagreements = await auditRows(page, 'policy.report_only', /transfers-frozen/);
    expect(disagreements[0]).toMatch(
      /policy\.report_only.*u-alice.*version 2 would deny \(rule transfers-frozen\); version 1 challenged/,
    );

    // Compare 1 → 2 (the defaults: the active version and the newest): the freeze is the rule added.
    const diff = page.locator('#diff-form');
    expect(await diff.getByLabel('From').inputValue()).toBe('1');
    expect(await diff.getByLabel('To').inputValue()).toBe('2');
    await diff.getByRole('button', { name: 'Compare' }).click();
    await page.locator('#diff-result:not([hidden])').waitFor();
    expect(await page.locator('#diff-rules > li').allTextContents()).toEqual([
      expect.stringMatching(/^Rule transfers-frozen added: .*deny/),
    ]);

    // What if version 2 had decided the last hour: the transfer's challenge would have been a denial.
    const whatIf = page.locator('#what-if-form');
    expect(await whatIf.getByLabel('Version').inputValue()).toBe('2');
    const [from, to] = await page.evaluate(() =>
      [Date.now() - 3_600_000, Date.now() + 60_000].map((ms) => {
        const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
        return d.toISOString().slice(0, 16); // datetime-local: this browser's own time, to the minute
      }),
    );
    // A backwards window is refused by its code (400 WHAT_IF_WINDOW_INVALID), in words, in the alert region.
    await whatIf.getByLabel('From').fill(to);
    await whatIf.getByLabel('Until').fill(from);
    await whatIf.getByRole('button', { name: 'Replay' }).click();
    const alert = page.locator('#admin-error');
    await alert.filter({ hasText: 'backwards' }).waitFor();
    expect(await alert.textContent()).toBe('The window is empty or backwards: set From before Until and replay again.');
    await whatIf.getByLabel('From').fill(from);
    await whatIf.getByLabel('Until').fill(to);
    await whatIf.getByRole('button', { name: 'Replay' }).click();
    await page.locator('#what-if-result:not([hidden])').waitFor();
    expect(await alert.textContent()).toBe('');
    const counts = await page.locator('#what-if-counts li').allTextContents();
    const denied = Number(/^Newly denied: (\d+)$/.exec(counts.find((c) => c.startsWith('Newly denied')) ?? '')?.[1]);
    expect(denied).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#what-if-rules li').allTextContents()).toContainEqual(
      expect.stringMatching(/^transfers-frozen: \d+ decisions?$/),
    );
    expect(await page.locator('#what-if-routes li').allTextContents()).toContainEqual(
      expect.stringMatching(/^POST \/payments\/transfer: \d+ decisions?$/),
    );
    expect(await page.locator('#what-if-users li').allTextContents()).toContainEqual(
      expect.stringMatching(/^u-alice: \d+ decisions?$/),
    );

    // Stop it: announced, the marker gone, version 2 may run report-only again.
    await versions.nth(1).getByRole('button', { name: 'Stop report-only' }).click();
    await status.filter({ hasText: 'no longer runs report-only' }).waitFor();
    expect(await status.textContent()).toBe('Policy version 2 no longer runs report-only.');
    await versions.nth(1).getByRole('button', { name: 'Run report-only version 2' }).waitFor();
    expect(await versions.locator('.report-only').count()).toBe(0);
    expect(await reportOnlyVersions(page, baseUrl)).toEqual([]);
    expect(await transferAnswer(page, baseUrl)).toEqual([401, 'MFA_REQUIRED']);
    expect(ctx.cspViolations()).toEqual([]);
  }, 110_000);
});
