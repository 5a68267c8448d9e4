// Style: the repository API only; policy rows change by admin action and are read by a
// background refresh, never on a request's path.
import type {
  PolicyActivationRecord,
  PolicyReportOnlyRecord,
  PolicyStore,
  PolicyVersionRecord,
} from '../../../core/src';
import { MfaPolicyActivationEntity } from '../entities/mfa-policy-activation.entity';
import { MfaPolicyReportOnlyEntity } from '../entities/mfa-policy-report-only.entity';
import { MfaPolicyVersionEntity } from '../entities/mfa-policy-version.entity';
import type { SqlRunner } from '../sql-runner';

export class PolicyRepository implements PolicyStore {
  constructor(private readonly sql: SqlRunner) {}

  async insertPolicyVersion(r: PolicyVersionRecord): Promise<boolean> {
    try {
      await this.sql.repository(MfaPolicyVersionEntity).insert(r);
      return true;
    } catch (err) {
      if (await this.sql.repository(MfaPolicyVersionEntity).existsBy({ version: r.version })) return false;
      throw err;
    }
  }

  async listPolicyVersions(): Promise<PolicyVersionRecord[]> {
    return this.sql.repository(MfaPolicyVersionEntity).find({ order: { version: 'ASC' } });
  }

  async findPolicyVersion(version: number): Promise<PolicyVersionRecord | null> {
    return this.sql.repository(MfaPolicyVersionEntity).findOneBy({ version });
  }

  async recordPolicyActivation(r: PolicyActivationRecord): Promise<void> {
    await this.sql.repository(MfaPolicyActivationEntity).insert(r);
  }

  async listPolicyActivations(limit: number): Promise<PolicyActivationRecord[]> {
    const rows = await this.sql.repository(MfaPolicyActivationEntity).find({ order: { seq: 'DESC' }, take: limit });
    return rows.map(({ version, actor, kind, activatedAt }) => ({
      version,
      actor,
      kind: kind as PolicyActivationRecord['kind'],
      activatedAt,
    }));
  }

  async recordPolicyReportOnly(r: PolicyReportOnlyRecord): Promise<void> {
    await this.sql.repository(MfaPolicyReportOnlyEntity).insert(r);
  }

  async latestPolicyReportOnly(): Promise<PolicyReportOnlyRecord | null> {
    const [row] = await this.sql.repository(MfaPolicyReportOnlyEntity).find({ order: { seq: 'DESC' }, take: 1 });
    return row
      ? { version: row.version, actor: row.actor, kind: row.kind as PolicyReportOnlyRecord['kind'], at: row.at }
      : null;
  }
}
