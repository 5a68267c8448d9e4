import { describePosition, ImportCandidate, ImportProblem, RawImportRow } from './import-record';

/**
 * Users named by more than one row of the source, with where: none of their rows is
 * imported, since nothing says which one is right. Invalid rows count too.
 */
export function findRepeatedUsers(
  rows: ReadonlyArray<RawImportRow | ImportProblem[]>,
  checked: ReadonlyArray<ImportCandidate | ImportProblem[]>,
): Map<string, string> {
  const seen = new Map<string, string[]>();
  checked.forEach((result, i) => {
    const row = rows[i];
    const userId = Array.isArray(result)
      ? Array.isArray(row)
        ? row[0]?.userId
        : typeof row.fields.userId === 'string'
          ? row.fields.userId
          : undefined
      : result.userId;
    if (userId === undefined) return;
    const where = describePosition(Array.isArray(row) ? (row[0] ?? {}) : row.position);
    seen.set(userId, [...(seen.get(userId) ?? []), where]);
  });
  const repeated = new Map<string, string>();
  for (const [userId, places] of seen)
    if (places.length > 1) repeated.set(userId, `the user appears ${places.length} times (${places.join(', ')})`);
  return repeated;
}
