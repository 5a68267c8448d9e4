// The admin console's policy flows, shared by the rollout and report-only suites.
import type { Page } from 'playwright-core';
import type { PolicyDocument } from '../../../src/core';
import { SAMPLE_POLICY } from '../../../sample-app/shared/sample-mfa-policy';

/** Version 2: the sample's policy plus a freeze on transfers, which the guard and explain both must show. */
export const FROZEN: PolicyDocument = {
  ...SAMPLE_POLICY,
  rules: [
    ...(SAMPLE_POLICY.rules ?? []),
    {
      id: 'transfers-frozen',
      description: 'Transfers frozen during the audit',
      when: { operations: ['transfer'] },
      deny: true,
    },
  ],
};

/** What the guard answers a transfer from this browser's session: its status and code. */
export async function transferAnswer(page: Page, baseUrl: string): Promise<[number, unknown]> {
  const res = await page.request.post(`${baseUrl}/payments/transfer`);
  return [res.status(), ((await res.json()) as { code?: unknown }).code];
}

/** The versions the admin API marks as running report-only. */
export async function reportOnlyVersions(page: Page, baseUrl: string): Promise<number[]> {
  const res = await page.request.get(`${baseUrl}/mfa/admin/policy/versions`);
  const { versions } = (await res.json()) as { versions: { version: number; reportOnly: boolean }[] };
  return versions.filter((v) => v.reportOnly).map((v) => v.version);
}

/** The console's answer to "what would u-alice face on POST /payments/transfer?". */
export async function explainTransfer(page: Page, version: number): Promise<string> {
  await page
    .getByLabel(/^User id/)
    .last()
    .fill('u-alice');
  await page.getByLabel('Route').selectOption('POST /payments/transfer');
  await page.getByRole('button', { name: 'Explain' }).click();
  const outcome = page.locator('#explain-outcome').filter({ hasText: `under policy version ${version};` });
  await outcome.waitFor();
  return (await outcome.textContent())!;
}

/** The audit rows of one type, newest first; the trail is written in the background, so it searches again until `expected` shows. */
export async function auditRows(page: Page, type: string, expected: RegExp): Promise<string[]> {
  await page.getByLabel(/^Event type/).fill(type);
  for (let attempt = 0; ; attempt++) {
    await page.locator('#audit-form').getByRole('button', { name: 'Search' }).click();
    await page.locator('#audit-form:not([aria-busy])').waitFor();
    const rows = await page.locator('#audit-table tbody tr').allTextContents();
    if (rows.some((row) => expected.test(row)) || attempt === 20) return rows;
    await page.waitForTimeout(250);
  }
}
