import type { AuditTrail } from '../audit/audit-trail';
import { MfaError } from '../errors/mfa.error';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { PolicyReportOnlyRecord, PolicyVersionRecord } from '../ports/mfa-store.port';
import type { CompiledPolicy } from './compile-policy';
import type { PolicyDocument } from './policy-document';
import type { PolicyProblem } from './validate-policy';

type Deps = Pick<ResolvedMfaContext, 'store' | 'clock'>;

/** How PolicyService compiles and checks documents for this deployment (its available factors). */
export interface PolicyCompiler {
  compileRecord(record: PolicyVersionRecord): CompiledPolicy;
  problemsOf(doc: unknown): PolicyProblem[];
}

/**
 * The version decided beside the enforcing one, at most one at a time. It is compiled in
 * memory like the active version and refreshed with it (one background read per
 * `policyRefreshSeconds`), so deciding it costs a guarded request no statement.
 */
export class ReportOnlyPolicy {
  private compiled: CompiledPolicy | null = null;
  /** Bumped by every start and stop here, so a refresh that read the store before it cannot undo it. */
  generation = 0;

  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly compiler: PolicyCompiler,
  ) {}

  get current(): CompiledPolicy | null {
    return this.compiled;
  }

  /**
   * Starts `version` report-only, replacing the one running. Checked as `create` checks a
   * document, against this deployment: a version that cannot be met would report noise.
   */
  async start(version: number, actor: string, enforcing: number | undefined): Promise<PolicyVersionRecord> {
    const { store, clock } = this.deps;
    const record = await store.findPolicyVersion(version);
    if (!record) throw new MfaError('POLICY_VERSION_NOT_FOUND');
    // Beside itself it would never disagree: the request is almost certainly a mistake.
    if (version === enforcing) throw new MfaError('POLICY_VERSION_ENFORCED');
    const problems = this.compiler.problemsOf(JSON.parse(record.document) as PolicyDocument);
    if (problems.length) throw new MfaError('POLICY_INVALID', { errors: problems });
    const compiled = this.compiler.compileRecord(record);
    const previous = await store.latestPolicyReportOnly();
    await store.recordPolicyReportOnly({ version, actor, kind: 'start', at: clock.now() });
    this.generation++;
    this.compiled = compiled;
    const replaced = previous?.kind === 'start' && previous.version !== version ? previous.version : null;
    this.audit.record(undefined, {
      type: 'policy.report_only_started',
      severity: 'warning',
      actor,
      policyVersion: version,
      reason:
        `content ${record.contentHash.slice(0, 12)}` +
        (replaced === null ? '' : `; replaces report-only version ${replaced}`),
    });
    return record;
  }

  /** Stops the run (only when it is `onlyVersion`, if given); the version it stopped, or null. */
  async stop(actor: string, reason: string, onlyVersion?: number): Promise<number | null> {
    const { store, clock } = this.deps;
    const latest = await store.latestPolicyReportOnly();
    const running = latest?.kind === 'start' ? latest.version : null;
    if (running === null || (onlyVersion !== undefined && running !== onlyVersion)) {
      if (running === null) this.forget();
      return null;
    }
    await store.recordPolicyReportOnly({ version: running, actor, kind: 'stop', at: clock.now() });
    this.forget();
    this.audit.record(undefined, {
      type: 'policy.report_only_stopped',
      severity: 'warning',
      actor,
      policyVersion: running,
      reason,
    });
    return running;
  }

  /**
   * Activating the running version ends its run. The activation took effect: a failure to end
   * the run is reported (stderr, `policy.report_only_stop_failed`), never answered as a failed
   * activation; the run then goes on, agreeing with the version enforced, until an admin stops it.
   */
  async endAfterActivation(version: number, actor: string): Promise<void> {
    try {
      await this.stop(actor, `version ${version} is now enforced`, version);
    } catch (err) {
      const reason = `could not end its report-only run: ${err instanceof Error ? err.message : err}`.slice(0, 191);
      process.stderr.write(`nestjs-mfa: version ${version} is enforced but ${reason}\n`);
      this.audit.record(undefined, {
        type: 'policy.report_only_stop_failed',
        severity: 'high',
        actor,
        policyVersion: version,
        reason,
      });
    }
  }

  /**
   * The background refresh hands over what it read of the newest record, with the generation
   * from before the read. Never rejects: a failed read or compile leaves the version as it was
   * until a later refresh, and never holds the enforced version back.
   */
  async sync(read: PromiseSettledResult<PolicyReportOnlyRecord | null>, generation: number): Promise<void> {
    try {
      if (read.status === 'rejected') throw read.reason;
      const version = read.value?.kind === 'start' ? read.value.version : null;
      if (version === (this.compiled?.version ?? null)) return;
      if (version === null) {
        if (generation === this.generation) this.compiled = null;
        return;
      }
      const record = await this.deps.store.findPolicyVersion(version);
      if (record && generation === this.generation) this.compiled = this.compiler.compileRecord(record);
    } catch (err) {
      process.stderr.write(
        `nestjs-mfa: report-only policy refresh failed: ${err instanceof Error ? err.message : err}\n`,
      );
    }
  }

  private forget(): void {
    this.generation++;
    this.compiled = null;
  }
}
