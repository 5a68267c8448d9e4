import type { OperatorStore } from '../../core/src/ports/operator-store.port';
import type { RiskHistoryStore } from '../../core/src/ports/risk-history.port';
import type { ComplianceFacts } from '../../core/src/ports/store/compliance.store';
import { ComplianceQueries } from './operator/compliance.queries';
import type { FactorImportOutcome, ImportedFactor } from '../../core/src/ports/store/factor-import.store';
import { FactorImportQueries } from './operator/factor-import.queries';
import type { SealedSecretCount } from '../../core/src/ports/store/key-status.store';
import { KeyStatusQueries } from './operator/key-status.queries';
import type { ExemptionRecord, ExemptionStore } from '../../core/src/ports/store/exemption.store';
import { ExemptionRepository } from './repositories/exemption.repository';
import type { SqlRunner } from './sql-runner';
import { TypeOrmRiskHistory } from './typeorm-risk-history';

/**
 * The operator half of TypeOrmMfaStore, its base class: key status, imports and the compliance
 * report, whole-table work the CLI and the admin API run, each slice in its own file under
 * `operator/`. Delegations only.
 */
export abstract class TypeOrmOperatorStore extends TypeOrmRiskHistory implements OperatorStore, ExemptionStore {
  // Key status
  private readonly keyStatus: KeyStatusQueries;

  // Compliance report
  private readonly compliance: ComplianceQueries;

  // Factor import
  private readonly factorImport: FactorImportQueries;

  // Exemptions (read on requests only where one could lift a refusal)
  private readonly exemptions: ExemptionRepository;

  protected constructor(sql: SqlRunner, profiles: RiskHistoryStore) {
    super(profiles);
    this.exemptions = new ExemptionRepository(sql);
    void sql;
    this.keyStatus = new KeyStatusQueries(sql);
    this.compliance = new ComplianceQueries(sql);
    this.factorImport = new FactorImportQueries(sql);
  }

  countSealedSecretsByKey(): Promise<SealedSecretCount[]> {
    return this.keyStatus.countSealedSecretsByKey();
  }

  listComplianceFacts(afterUserId: string | null, limit: number): Promise<ComplianceFacts[]> {
    return this.compliance.listComplianceFacts(afterUserId, limit);
  }

  findComplianceFacts(userIds: readonly string[]): Promise<ComplianceFacts[]> {
    return this.compliance.findComplianceFacts(userIds);
  }

  importFactor(factor: ImportedFactor, now: number): Promise<FactorImportOutcome> {
    return this.factorImport.importFactor(factor, now);
  }

  // Exemptions
  createExemption(record: ExemptionRecord): Promise<void> {
    return this.exemptions.createExemption(record);
  }
  findExemption(userId: string, id: string): Promise<ExemptionRecord | null> {
    return this.exemptions.findExemption(userId, id);
  }
  listExemptions(userId: string, limit: number): Promise<ExemptionRecord[]> {
    return this.exemptions.listExemptions(userId, limit);
  }
  listActiveExemptions(userId: string, now: number): Promise<ExemptionRecord[]> {
    return this.exemptions.listActiveExemptions(userId, now);
  }
  listActiveExemptionsOf(userIds: readonly string[], now: number): Promise<ExemptionRecord[]> {
    return this.exemptions.listActiveExemptionsOf(userIds, now);
  }
  revokeExemption(userId: string, id: string, now: number, revokedBy: string): Promise<boolean> {
    return this.exemptions.revokeExemption(userId, id, now, revokedBy);
  }
}
