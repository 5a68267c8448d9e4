// Style: raw SQL for the reads and the completion (every challenge and verification runs
// them); the repository API for the insert.
import type { ChallengeRecord, ChallengeStore } from '../../../core/src';
import { MfaChallengeEntity } from '../entities/mfa-challenge.entity';
import type { SqlRunner } from '../sql-runner';
import { ChallengeRow, challengeFromRow } from '../typeorm-record.mappers';
import { COMPLETE_CHALLENGE } from './spend.statements';

const CHALLENGE_COLUMNS = 'id, user_id, session_ref, purpose, requirement, status, created_at, expires_at';

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

  async completeChallenge(id: string, now: number): Promise<boolean> {
    return (await this.sql.write(COMPLETE_CHALLENGE, [now, id])) === 1;
  }
}
