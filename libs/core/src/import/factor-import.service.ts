import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { AuditTrail } from '../audit/audit-trail';
import type { Clock } from '../clock/clock';
import type { CodeHasher } from '../crypto/code-hasher';
import type { KeyRing } from '../crypto/key-ring';
import { totpSecretAad } from '../crypto/secret-aad';
import { defaultLabel } from '../enrollment/factor-label';
import type { BackupCodeFactor } from '../factors/backup-code.factor';
import type { EnrollmentRecord, MfaStore } from '../ports/mfa-store.port';
import type { FactorImportStore, ImportedFactor } from '../ports/store/factor-import.store';
import { findRepeatedUsers } from './import-duplicates';
import type { ImportCandidate, ImportProblem, ImportReport, RawImportRow } from './import-record';
import { validateImportRow, ValidationRules } from './import-validation';

export interface FactorImportDeps {
  store: Pick<MfaStore, 'listEnrollments' | 'listUnusedBackupCodes'> & FactorImportStore;
  keyRing: KeyRing;
  clock: Clock;
  hasher: CodeHasher;
  backupCodes: Pick<BackupCodeFactor, 'normalize'>;
  audit: AuditTrail;
}

export interface FactorImportRun {
  /** Named in the report and the audit: 'better-auth', 'users.csv', … */
  source: string;
  /** Who runs it, for the audit trail. */
  actor: string;
  /** Check everything against the store, write nothing. */
  dryRun?: boolean;
  unusableCodes?: ValidationRules['unusableCodes'];
  /** Called once per row done, for a progress bar. */
  onRow?: () => void;
}

/** The store failed mid-run: users before `at` are settled (imported or reported); `at` and later were not touched. */
export class FactorImportAborted extends Error {
  constructor(
    readonly report: ImportReport,
    readonly at: ImportProblem,
    readonly failure: unknown,
  ) {
    super(
      `The store failed while importing ${at.userId}: ${failure instanceof Error ? failure.message : String(failure)}`,
    );
    this.name = this.constructor.name;
  }
}

/**
 * Brings TOTP factors and backup codes from other systems. Every row is checked before any
 * is written; a user repeated in the source, or who has an authenticator app here already,
 * is reported and skipped. An imported factor is active at once, keeps its algorithm, digits
 * and period, and starts with the import's time step spent: the code showing at import time
 * cannot be replayed. Each user is written in one transaction by the store.
 */
export class FactorImportService {
  constructor(private readonly deps: FactorImportDeps) {}

  async run(rows: ReadonlyArray<RawImportRow | ImportProblem[]>, run: FactorImportRun): Promise<ImportReport> {
    const report: ImportReport = {
      source: run.source,
      dryRun: !!run.dryRun,
      rows: rows.length,
      imported: 0,
      alreadyImported: 0,
      duplicates: [],
      invalid: [],
      warnings: [],
    };
    const rules: ValidationRules = {
      normalizeCode: (code) => this.deps.backupCodes.normalize(code),
      unusableCodes: run.unusableCodes ?? 'refuse',
    };
    const checked = rows.map((row) => (Array.isArray(row) ? row : validateImportRow(row, rules)));
    const repeated = findRepeatedUsers(rows, checked);
    for (const result of checked) {
      if (Array.isArray(result)) {
        report.invalid.push(...result);
        run.onRow?.();
        continue;
      }
      const again = repeated.get(result.userId);
      if (again) report.duplicates.push(problem(result, 'userId', 'DUPLICATE_IN_FILE', again));
      else await this.importOne(result, run, report);
      run.onRow?.();
    }
    if (!report.dryRun) this.recordSummary(run, report);
    return report;
  }

  private async importOne(candidate: ImportCandidate, run: FactorImportRun, report: ImportReport): Promise<void> {
    const { store, clock } = this.deps;
    try {
      const enrollments = await store.listEnrollments(candidate.userId);
      const conflict = await this.conflict(candidate, enrollments);
      if (conflict === 'same') return void report.alreadyImported++;
      if (conflict) return void report.duplicates.push(conflict);
      report.warnings.push(...candidate.warnings);
      if (report.dryRun) return void report.imported++;
      const now = clock.now();
      const factor = await this.factorOf(candidate, enrollments, now);
      const outcome = await store.importFactor(factor, now);
      if (outcome === 'imported') {
        report.imported++;
        this.recordImport(candidate, factor, run);
        return;
      }
      // Someone enrolled or imported between the read above and the write: the write decided,
      // and a second look tells another run of the same source from a real conflict.
      const settled = await this.conflict(candidate, await store.listEnrollments(candidate.userId));
      if (settled === 'same') report.alreadyImported++;
      else
        report.duplicates.push(
          settled ??
            (outcome === 'has_totp'
              ? problem(candidate, 'userId', 'HAS_TOTP', 'the user has an active authenticator app already')
              : problem(candidate, 'backupCodes', 'HAS_BACKUP_CODES', 'the user has unused backup codes already')),
        );
    } catch (err) {
      throw new FactorImportAborted(report, problem(candidate, 'userId', 'SOURCE_UNREADABLE', 'store failed'), err);
    } finally {
      candidate.secret.fill(0);
    }
  }

  /** 'same': an earlier run brought this very secret and profile; a problem: a real conflict. */
  private async conflict(c: ImportCandidate, enrollments: EnrollmentRecord[]): Promise<'same' | ImportProblem | null> {
    const apps = enrollments.filter((e) => e.type === 'totp' && e.status === 'active');
    if (apps.some((e) => this.sameFactor(c, e))) return 'same';
    if (apps.length) return problem(c, 'userId', 'HAS_TOTP', 'the user has an active authenticator app already');
    if (c.backupCodes && (await this.deps.store.listUnusedBackupCodes(c.userId)).length)
      return problem(c, 'backupCodes', 'HAS_BACKUP_CODES', 'the user has unused backup codes already');
    return null;
  }

  private sameFactor(c: ImportCandidate, e: EnrollmentRecord): boolean {
    const p = e.profile;
    if (!p || p.algorithm !== c.profile.algorithm || p.digits !== c.profile.digits || p.period !== c.profile.period)
      return false;
    let secret: Buffer;
    try {
      secret = this.deps.keyRing.open(e.sealedSecret, totpSecretAad(e.userId, e.id));
    } catch {
      return false;
    }
    const same = secret.length === c.secret.length && timingSafeEqual(secret, c.secret);
    secret.fill(0);
    return same;
  }

  private async factorOf(c: ImportCandidate, enrollments: EnrollmentRecord[], now: number): Promise<ImportedFactor> {
    const { keyRing, hasher } = this.deps;
    const id = randomUUID();
    const codes = c.backupCodes;
    const hashes =
      codes?.kind === 'plain' ? await Promise.all(codes.codes.map((code) => hasher.hash(code))) : (codes?.hashes ?? []);
    return {
      enrollment: {
        id,
        userId: c.userId,
        type: 'totp',
        status: 'active',
        label: c.label ?? defaultLabel(enrollments.filter((e) => e.type === 'totp').map((e) => e.label)),
        sealedSecret: keyRing.seal(c.secret, totpSecretAad(c.userId, id)),
        keyId: keyRing.currentKeyId,
        profile: c.profile,
        maskedTarget: null,
        // The step showing now counts as used, so a code seen during the migration cannot be replayed.
        lastStep: Math.floor(now / 1000 / c.profile.period),
        createdAt: now,
        confirmedAt: now,
        lastUsedAt: null,
      },
      backupCodes: hashes.map((codeHash) => ({ id: randomUUID(), codeHash })),
    };
  }

  private recordImport(c: ImportCandidate, factor: ImportedFactor, run: FactorImportRun): void {
    const { algorithm, digits, period } = c.profile;
    this.deps.audit.record(
      { userId: c.userId },
      {
        type: 'factor.imported',
        severity: 'warning',
        channel: 'totp',
        outcome: 'success',
        enrollmentId: factor.enrollment.id,
        actor: run.actor,
        reason: `from ${run.source}: ${algorithm.toUpperCase()}/${digits}/${period}s, ${factor.backupCodes.length} backup codes`,
      },
    );
  }

  private recordSummary(run: FactorImportRun, r: ImportReport): void {
    this.deps.audit.record(undefined, {
      type: 'factor.import_finished',
      severity: 'info',
      outcome: r.duplicates.length || r.invalid.length ? 'refused' : 'success',
      actor: run.actor,
      reason:
        `from ${run.source}: ${r.rows} rows, ${r.imported} imported, ${r.alreadyImported} already imported, ` +
        `${r.duplicates.length} duplicates, ${r.invalid.length} invalid`,
    });
  }
}

function problem(c: ImportCandidate, field: string, code: ImportProblem['code'], reason: string): ImportProblem {
  return { ...c.position, userId: c.userId, field, code, reason };
}
