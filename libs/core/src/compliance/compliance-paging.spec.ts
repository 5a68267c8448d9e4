// A paged report reads at most `limit` users per call and, page after page, checks every user
// the store knows exactly once; a cursor it did not make is refused, never guessed at.
import { DAY, NOW, FakeComplianceStore, EVERYONE } from '../../../../test/support/compliance-fakes';
import { decodeComplianceCursor, encodeComplianceCursor } from './compliance-cursor';
import { buildComplianceReport } from './compliance-report';

const USERS = Array.from({ length: 7 }, (_, i) => ({
  userId: `u-${i}`,
  enrollmentRequiredSince: NOW - 10 * DAY,
}));

describe('compliance report pages', () => {
  it('walks every user once, at most `limit` per page, and ends with no cursor', async () => {
    const store = new FakeComplianceStore(USERS);
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await buildComplianceReport(store, EVERYONE, NOW, { limit: 3, batchSize: 2, cursor });
      sizes.push(page.totals.usersChecked);
      seen.push(...page.missingFactor.map((m) => m.userId));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(USERS.map((u) => u.userId));
  });

  it('gives a full last page a cursor whose page is empty', async () => {
    const store = new FakeComplianceStore(USERS.slice(0, 3));
    const first = await buildComplianceReport(store, EVERYONE, NOW, { limit: 3 });
    expect(first.nextCursor).toEqual(expect.any(String));
    const last = await buildComplianceReport(store, EVERYONE, NOW, { limit: 3, cursor: first.nextCursor! });
    expect(last).toMatchObject({ nextCursor: null, totals: { usersChecked: 0 }, missingFactor: [] });
  });

  it('answers the whole report, with no cursor, when not paged', async () => {
    const report = await buildComplianceReport(new FakeComplianceStore(USERS), EVERYONE, NOW, { batchSize: 2 });
    expect(report).toMatchObject({ nextCursor: null, totals: { usersChecked: 7 } });
  });

  it('refuses a cursor it did not make, a limit out of range, and paging over a directory', async () => {
    const store = new FakeComplianceStore(USERS);
    for (const cursor of ['', 'not base64!', 'dS0x=', encodeComplianceCursor('x'.repeat(192))])
      await expect(buildComplianceReport(store, EVERYONE, NOW, { cursor })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    for (const limit of [0, 5_001, 1.5])
      await expect(buildComplianceReport(store, EVERYONE, NOW, { limit })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    await expect(buildComplianceReport(store, EVERYONE, NOW, { limit: 2, directory: [] })).rejects.toThrow(
      /with a `directory`, pass a slice of it/,
    );
    expect(decodeComplianceCursor(encodeComplianceCursor('ünïcode user'))).toBe('ünïcode user');
  });
});
