// Style: raw SQL for the reads and the completion (every challenge and verification runs
// them); the repository API for the insert.
import type { ChallengeRecord, ChallengeStore, EnrollmentRecord } from '../../../core/src';
import { MfaChallengeEntity } from '../entities/mfa-challenge.entity';
import type { SqlRunner } from '../sql-runner';
import { ChallengeRow, challengeFromRow, EnrollmentRow, enrollmentFromRow } from '../typeorm-record.mappers';
import { ENROLLMENT_COLUMNS } from './enrollment.repository';
import { COMPLETE_CHALLENGE } from './spend.statements';

const CHALLENGE_COLUMNS = 'id, user_id, session_ref, purpose, requirement, status, created_at, expires_at';

/** Columns of both tables under prefixes, so one joined row splits back into two records. */
const prefixed = (alias: string, columns: string) =>
  columns
    .split(', ')
    .map((c) => `${alias}.${c} AS ${alias}_${c}`)
    .join(', ');
// The challenge row repeats once per enrollment (a user has a handful); LEFT JOIN keeps it when there are none.
const CHALLENGE_WITH_ENROLLMENTS =
  `SELECT ${prefixed('c', CHALLENGE_COLUMNS)}, ${prefixed('e', ENROLLMENT_COLUMNS)} ` +
  'FROM mfa_challenges c LEFT JOIN mfa_enrollments e ON e.user_id = c.user_id WHERE c.id = ? ORDER BY e.created_at, e.id';

function unprefixed<T>(row: Record<string, unknown>, alias: string): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (key.startsWith(`${alias}_`)) out[key.slice(2)] = value;
  return out as T;
}

export class ChallengeRepository implements ChallengeStore {
  constructor(private readonly sql: SqlRunner) {}

  async findPendingChallenge(
    userId: string,
    sessionRef: string,
    purpose: string,
    now: number,
  ): Promise<ChallengeRecord | null> {
    const rows = await this.sql.select<ChallengeRow>(
      `SELECT ${CHALLENGE_COLUMNS} FROM mfa_challenges WHERE session_ref = ? AND purpose = ? AND user_id = ? AND status = 'pending' AND expires_at > ? ORDER BY created_at DESC LIMIT 1`,
      [sessionRef, purpose, userId, now],
    );
    return rows.length ? challengeFromRow(rows[0]) : null;
  }

  async createChallenge(r: ChallengeRecord): Promise<void> {
    await this.sql.repository(MfaChallengeEntity).insert({
      ...r,
      requirement: JSON.stringify(r.requirement),
      completedAt: null,
    });
  }

  async findChallenge(id: string): Promise<ChallengeRecord | null> {
    const rows = await this.sql.select<ChallengeRow>(`SELECT ${CHALLENGE_COLUMNS} FROM mfa_challenges WHERE id = ?`, [
      id,
    ]);
    return rows.length ? challengeFromRow(rows[0]) : null;
  }

  async findChallengeWithEnrollments(
    id: string,
  ): Promise<{ challenge: ChallengeRecord; enrollments: EnrollmentRecord[] } | null> {
    const rows = await this.sql.select<Record<string, unknown>>(CHALLENGE_WITH_ENROLLMENTS, [id]);
    if (!rows.length) return null;
    return {
      challenge: challengeFromRow(unprefixed<ChallengeRow>(rows[0], 'c')),
      enrollments: rows.filter((r) => r.e_id != null).map((r) => enrollmentFromRow(unprefixed<EnrollmentRow>(r, 'e'))),
    };
  }

  async completeChallenge(id: string, now: number): Promise<boolean> {
    return (await this.sql.write(COMPLETE_CHALLENGE, [now, id])) === 1;
  }
}
