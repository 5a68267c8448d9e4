// Style: fixed, parameterised SQL through the SqlRunner. A profile is read on every request
// the risk engine scores, so no query building or entity mapping per call.
import type { RiskHistoryStore, RiskProfile } from '../../../core/src/ports/risk-history.port';
import type { SqlRunner } from '../sql-runner';

const COLUMNS =
  'user_id, device_families, countries, hours, last_latitude_tenths, last_longitude_tenths, last_accuracy_km, last_country, last_located_at, updated_at';
const SELECT = `SELECT ${COLUMNS} FROM mfa_risk_profiles WHERE user_id = ?`;
// A write lands only on the profile it was learned from: an insert where there was none, an
// update where `updated_at` is still the one read. A reset (DELETE) in between is never undone.
const INSERT = `INSERT INTO mfa_risk_profiles (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_IF_ABSENT = `${INSERT} ON CONFLICT (user_id) DO NOTHING`;
const UPDATED = COLUMNS.split(', ').slice(1);
const UPDATE_IF_CURRENT = `UPDATE mfa_risk_profiles SET ${UPDATED.map((c) => `${c} = ?`).join(', ')} WHERE user_id = ? AND updated_at = ?`;
const DELETE = 'DELETE FROM mfa_risk_profiles WHERE user_id = ?';
// Oldest first, a bounded batch at a time. The outer `updated_at < ?` is checked again on
// each row as it is deleted, so a profile saved meanwhile by another request survives.
const PRUNE =
  'DELETE FROM mfa_risk_profiles WHERE updated_at < ? AND user_id IN ' +
  '(SELECT user_id FROM mfa_risk_profiles WHERE updated_at < ? ORDER BY updated_at LIMIT ?)';
// MySQL allows no LIMIT in an IN subquery, nor reading the table a DELETE writes; it has DELETE … LIMIT.
const PRUNE_MYSQL = 'DELETE FROM mfa_risk_profiles WHERE updated_at < ? ORDER BY updated_at LIMIT ?';

/** Half the Earth's circumference: no location is further off than that. */
const MAX_KM = 20_038;
/** Rows per DELETE, so one prune never holds many locks or one long transaction. */
const PRUNE_BATCH = 500;

interface Row {
  user_id: string;
  device_families: string;
  countries: string;
  hours: string;
  last_latitude_tenths: number | string | null;
  last_longitude_tenths: number | string | null;
  last_accuracy_km: number | string | null;
  last_country: string | null;
  last_located_at: number | string | null;
  updated_at: number | string;
}

export class RiskProfileRepository implements RiskHistoryStore {
  constructor(private readonly sql: SqlRunner) {}

  async loadRiskProfile(userId: string): Promise<RiskProfile | undefined> {
    const [row] = await this.sql.select<Row>(SELECT, [userId]);
    return row ? toProfile(row) : undefined;
  }

  /**
   * One statement. SQLite and PostgreSQL insert with ON CONFLICT DO NOTHING; MySQL/MariaDB
   * insert plainly and read a duplicate key as "another write came first" (INSERT IGNORE would
   * swallow other errors too). The update matches only the `updated_at` that was read.
   */
  async saveRiskProfile(p: RiskProfile, readAt: number | null): Promise<boolean> {
    const at =
      p.lastLocation && isFinitePair(p.lastLocation.latitude, p.lastLocation.longitude) ? p.lastLocation : undefined;
    const params = [
      p.userId,
      JSON.stringify(p.deviceFamilies ?? {}),
      JSON.stringify(p.countries ?? {}),
      JSON.stringify(p.hours ?? []),
      at ? Math.round(at.latitude * 10) : null,
      at ? Math.round(at.longitude * 10) : null,
      at && Number.isFinite(at.accuracyKm) ? Math.min(Math.max(Math.round(at.accuracyKm!), 0), MAX_KM) : null,
      at?.country ?? null,
      at ? at.at : null,
      p.updatedAt,
    ];
    if (readAt !== null) {
      const [userId, ...values] = params;
      return (await this.retryingDeadlocks(() => this.sql.write(UPDATE_IF_CURRENT, [...values, userId, readAt]))) > 0;
    }
    if (!this.sql.mysql) return (await this.retryingDeadlocks(() => this.sql.write(INSERT_IF_ABSENT, params))) > 0;
    try {
      await this.retryingDeadlocks(() => this.sql.write(INSERT, params));
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async forgetRiskProfile(userId: string): Promise<void> {
    await this.sql.write(DELETE, [userId]);
  }

  /**
   * Counts only the rows this call deleted (the driver's affected rows), so two instances
   * pruning at once never count a profile twice. Goes on until a batch finds nothing: one
   * cut short by profiles saved (or pruned elsewhere) meanwhile does not mean none are left.
   */
  async pruneRiskProfiles(before: number, limit: number): Promise<number> {
    let pruned = 0;
    while (pruned < limit) {
      const size = Math.min(PRUNE_BATCH, limit - pruned);
      const params = this.sql.mysql ? [before, size] : [before, before, size];
      const deleted = await this.retryingDeadlocks(() => this.sql.write(this.sql.mysql ? PRUNE_MYSQL : PRUNE, params));
      pruned += deleted;
      if (deleted === 0) break;
    }
    return pruned;
  }

  /**
   * InnoDB may pick a prune or a save as the victim when they meet on the same rows from
   * different indexes; the statement is whole or nothing, so running it again is safe.
   */
  private async retryingDeadlocks<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (err) {
        if (attempt >= 3 || !isDeadlock(err)) throw err;
      }
    }
  }
}

const isFinitePair = (a: number, b: number) => Number.isFinite(a) && Number.isFinite(b);

function isDuplicateKey(err: unknown): boolean {
  const e = ((err as { driverError?: unknown })?.driverError ?? err) as { code?: unknown; errno?: unknown } | null;
  return e?.code === 'ER_DUP_ENTRY' || e?.errno === 1062;
}

function isDeadlock(err: unknown): boolean {
  const e = (err ?? {}) as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  const codes = [e.code, e.driverError?.code, e.errno, e.driverError?.errno];
  return codes.some((c) => c === 'ER_LOCK_DEADLOCK' || c === 1213 || c === '40P01' || c === '40001');
}

function toProfile(row: Row): RiskProfile {
  const profile: RiskProfile = {
    userId: row.user_id,
    deviceFamilies: parseStamps(row.device_families),
    countries: parseStamps(row.countries),
    hours: parseHours(row.hours),
    updatedAt: Number(row.updated_at),
  };
  if (row.last_latitude_tenths !== null && row.last_longitude_tenths !== null && row.last_located_at !== null) {
    profile.lastLocation = {
      latitude: Number(row.last_latitude_tenths) / 10,
      longitude: Number(row.last_longitude_tenths) / 10,
      ...(row.last_accuracy_km === null ? {} : { accuracyKm: Number(row.last_accuracy_km) }),
      ...(row.last_country ? { country: row.last_country } : {}),
      at: Number(row.last_located_at),
    };
  }
  return profile;
}

// A row the engine cannot read is a profile that knows nothing yet, not a failed request.
function parseStamps(text: string): Record<string, number> {
  const value = parseJson(text);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, at]) => typeof at === 'number' && Number.isFinite(at)));
}

function parseHours(text: string): number[] {
  const value = parseJson(text);
  const hours = Array.isArray(value) ? value : [];
  return Array.from({ length: 24 }, (_, h) => (typeof hours[h] === 'number' && hours[h] >= 0 ? hours[h] : 0));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
