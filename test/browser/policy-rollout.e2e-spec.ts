// Invariant: a policy version an admin activates from the console's version table applies at once
// — to the guard on a real route and to explain alike — and "Roll back" restores the version that
// was active before, just as fully; the console announces each change, moves the table's Active
// marker, and the audit trail records both, with the admin as actor. Only an admin may do it —
// on the Nest and the Express sample.
import type { APIResponse } from 'playwright-core';
import { enrollTotpOnPage, signInOnPage } from './support/page-flows';
import { FROZEN, transferAnswer, explainTransfer, auditRows } from './support/policy-console';
import { describeOnBothSamples } from './support/sample-suite';

describeOnBothSamples('policy rollout from the admin console', (ctx) => {
  it('activate version 2 from the table, then roll back: each applies at once and is audited', async () => {
    const { page, baseUrl } = ctx;
    // Confirming the app verified this session just now: fresh enough for policy changes (reauthMaxAge).
    await signInOnPage(page, baseUrl, 'alice', '/ui/enroll');
    await enrollTotpOnPage(page, baseUrl);

    // The sample boots with version 1 only; the second comes through the admin API, in this session.
    const created: APIResponse = await page.request.post(`${baseUrl}/mfa/admin/policy/versions`, {
      data: { document: FROZEN, comment: 'freeze transfers' },
    });
    expect(created.status()).toBe(201);
    const v2 = (await created.json()) as { contentHash: string };
    expect(v2).toMatchObject({ version: 2, author: 'u-alice', active: false });
    const listed = (await (await page.request.get(`${baseUrl}/mfa/admin/policy/versions`)).json()) as {
      versions: { contentHash: string }[];
    };
    const [v1Content, v2Content] = listed.versions.map((v) => `content ${v.contentHash.slice(0, 12)}`);
    expect(v2Content).toBe(`content ${v2.contentHash.slice(0, 12)}`);

    await page.goto(`${baseUrl}/ui/admin`);
    const versions = page.locator('#policy-versions tbody tr');
    await versions.nth(1).waitFor();
    expect(await versions.count()).toBe(2);
    expect(await versions.nth(0).textContent()).toMatch(/^1.*Active$/);
    expect(await versions.nth(1).textContent()).toMatch(/^2u-alicefreeze transfers.*Activate version 2$/);

    // Version 1: a transfer asks for a fresh code (401), and explain says so.
    expect(await transferAnswer(page, baseUrl)).toEqual([401, 'MFA_REQUIRED']);
    expect(await explainTransfer(page, 1)).toMatch(/^Challenged on POST \/payments\/transfer under policy version 1;/);

    // Activate version 2 from its row: announced, marked, and in force for the guard and explain.
    await versions.nth(1).getByRole('button', { name: 'Activate version 2' }).click();
    const status = page.locator('#admin-status');
    await status.filter({ hasText: 'Policy version 2 is active.' }).waitFor();
    expect(await status.textContent()).toBe('Policy version 2 is active.');
    await versions
      .nth(1)
      .filter({ hasText: /Active$/ })
      .waitFor();
    expect(await versions.nth(0).textContent()).toMatch(/^1.*Activate version 1$/);
    expect(await versions.nth(1).textContent()).toMatch(/^2.*Active$/);
    expect(await transferAnswer(page, baseUrl)).toEqual([403, 'MFA_DENIED']);
    expect(await explainTransfer(page, 2)).toBe(
      'Denied on POST /payments/transfer under policy version 2; deciding rule: transfers-frozen.',
    );

    // Roll back: version 1 again, just as fully.
    await page.getByRole('button', { name: 'Roll back to the previous version' }).click();
    await status.filter({ hasText: 'Rolled back' }).waitFor();
    expect(await status.textContent()).toBe('Rolled back: policy version 1 is active.');
    await versions
      .nth(0)
      .filter({ hasText: /Active$/ })
      .waitFor();
    expect(await versions.nth(1).textContent()).toMatch(/^2.*Activate version 2$/);
    expect(await transferAnswer(page, baseUrl)).toEqual([401, 'MFA_REQUIRED']);
    expect(await explainTransfer(page, 1)).toMatch(/^Challenged on POST \/payments\/transfer under policy version 1;/);

    // The audit trail, newest first, names the content each change put in force and who did it.
    const byAlice = /u-alice/;
    const [versionCreated] = await auditRows(page, 'policy.version_created', byAlice);
    expect(versionCreated).toMatch(/policy\.version_created.*u-alice.*freeze transfers/);
    const activated = await auditRows(page, 'policy.activated', byAlice);
    expect(activated).toHaveLength(2); // the admin's, and version 1's at boot
    expect(activated[0]).toMatch(/policy\.activated.*u-alice/);
    expect(activated[0]).toContain(v2Content);
    expect(activated[1]).toMatch(/policy\.activated.*boot/);
    expect(activated[1]).toContain(v1Content);
    const rolledBack = await auditRows(page, 'policy.rolled_back', byAlice);
    expect(rolledBack).toHaveLength(1);
    expect(rolledBack[0]).toMatch(/policy\.rolled_back.*u-alice/);
    expect(rolledBack[0]).toContain(v1Content);

    // Bob, no admin, may not activate or roll back, whatever his session.
    const bob = await ctx.openPage();
    await signInOnPage(bob.page, baseUrl, 'bob', '/ui/enroll');
    await enrollTotpOnPage(bob.page, baseUrl);
    for (const path of ['/mfa/admin/policy/versions/2/activate', '/mfa/admin/policy/rollback']) {
      const refused = await bob.page.request.post(`${baseUrl}${path}`);
      expect([path, refused.status(), ((await refused.json()) as { code?: unknown }).code]).toEqual([
        path,
        403,
        'MFA_ADMIN_FORBIDDEN',
      ]);
    }
    await page.reload();
    await versions
      .nth(0)
      .filter({ hasText: /Active$/ })
      .waitFor();
    expect(ctx.cspViolations()).toEqual([]);
  }, 110_000);
});
