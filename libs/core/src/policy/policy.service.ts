import { AuditTrail } from '../audit/audit-trail';
import { MfaError } from '../errors/mfa.error';
import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { FACTOR_TYPES, type FactorType } from '../factors/factor-type';
import { CompiledPolicy, compilePolicy, policyHash } from '../policy/compile-policy';
import { PolicyDocument } from '../policy/policy-document';
import { ReportOnlyPolicy } from '../policy/report-only-policy';
import { unmeetableSteps } from '../policy/unmeetable-steps';
import { PolicyProblem, validatePolicy } from '../policy/validate-policy';
import type { PolicyVersionRecord } from '../ports/mfa-store.port';
import { policyVersionView, PolicyVersionView, readStanding } from './policy-version.view';
import type { ResolvedMfaContext } from '../options/mfa-context';

type Deps = Pick<ResolvedMfaContext, 'store' | 'clock' | 'policyRefreshMs' | 'bootPolicy' | 'webauthn'>;

/**
 * Versioned policy: stored documents, their activation history and the compiled active
 * version. Requests read the compiled policy from memory; a version activated by another
 * instance is picked up within `policyRefreshSeconds`, in the background.
 */
export class PolicyService {
  private compiled: CompiledPolicy;
  private loaded?: Promise<void>;
  private checkedAt = -Infinity;
  private refreshing = false;
  /** Bumped by every activation here, so a refresh that read the store before it cannot undo it. */
  private generation = 0;
  private readonly shadow: ReportOnlyPolicy;

  constructor(
    private readonly ctx: Deps,
    private readonly audit: AuditTrail,
  ) {
    // Version 0: no document stored. Only the routes' own decorators demand anything.
    this.compiled = this.compile({}, 0);
    this.shadow = new ReportOnlyPolicy(ctx, audit, {
      compileRecord: (record) => this.compileRecord(record),
      problemsOf: (doc) => this.problemsOf(doc),
    });
  }

  /** Loads the active version, or stores the boot document as version 1 when there is none. */
  init(): Promise<void> {
    this.loaded ??= this.load(true).catch((err) => {
      this.loaded = undefined;
      throw err;
    });
    return this.loaded;
  }

  get isLoaded(): boolean {
    return this.checkedAt > -Infinity;
  }

  /** The compiled active policy; schedules a background check for newer activations. */
  current(): CompiledPolicy {
    if (this.ctx.clock.now() - this.checkedAt > this.ctx.policyRefreshMs && !this.refreshing) {
      this.refreshing = true;
      this.load(false)
        .catch((err) => {
          if (this.isLoaded) this.checkedAt = this.ctx.clock.now(); // a failing store: retried per interval, not per request
          process.stderr.write(`nestjs-mfa: policy refresh failed: ${err instanceof Error ? err.message : err}\n`);
        })
        .finally(() => (this.refreshing = false));
    }
    return this.compiled;
  }

  /** The compiled report-only version, or null; refreshed with `current()`, never read from the store here. */
  reportOnly(): CompiledPolicy | null {
    return this.shadow.current;
  }

  async versions(): Promise<PolicyVersionView[]> {
    const [versions, standing] = await Promise.all([this.ctx.store.listPolicyVersions(), readStanding(this.ctx.store)]);
    return versions.map((v) => policyVersionView(v, standing, false));
  }

  async version(version: number): Promise<PolicyVersionView> {
    const [record, standing] = await Promise.all([this.stored(version), readStanding(this.ctx.store)]);
    return policyVersionView(record, standing, true);
  }

  /** A stored version compiled for this deployment (what-if, diff); guarded requests never come here. */
  async compiledVersion(version: number): Promise<CompiledPolicy> {
    return this.compileRecord(await this.stored(version));
  }

  private async stored(version: number): Promise<PolicyVersionRecord> {
    const record = await this.ctx.store.findPolicyVersion(version);
    if (!record) throw new MfaError('POLICY_VERSION_NOT_FOUND');
    return record;
  }

  /** A document not stored yet, checked as `create` checks it, compiled as version 0. */
  compileDocument(document: unknown): CompiledPolicy {
    const problems = this.problemsOf(document);
    if (problems.length) throw new MfaError('POLICY_INVALID', { errors: problems });
    return this.compile(document as PolicyDocument, 0);
  }

  /** Stores a new version (not yet active). Invalid documents are refused with the paths of their errors. */
  async create(document: unknown, author: string, comment?: string): Promise<PolicyVersionView> {
    const problems = this.problemsOf(document);
    if (problems.length) throw new MfaError('POLICY_INVALID', { errors: problems });
    const doc = document as PolicyDocument;
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = (await this.ctx.store.listPolicyVersions()).at(-1)?.version ?? 0;
      const record: PolicyVersionRecord = {
        version: latest + 1,
        author,
        comment: comment ?? null,
        createdAt: this.ctx.clock.now(),
        contentHash: policyHash(doc),
        document: JSON.stringify(doc),
      };
      if (await this.ctx.store.insertPolicyVersion(record)) {
        this.audit.record(undefined, {
          type: 'policy.version_created',
          severity: 'warning',
          actor: author,
          policyVersion: record.version,
          reason: comment,
        });
        return policyVersionView(record, {}, false);
      }
    }
    throw new Error('Could not allocate a policy version number');
  }

  async activate(
    version: number,
    actor: string,
    kind: 'activate' | 'rollback' | 'boot' = 'activate',
  ): Promise<PolicyVersionView> {
    const record = await this.stored(version);
    const compiled = this.compileRecord(record);
    await this.ctx.store.recordPolicyActivation({ version, actor, kind, activatedAt: this.ctx.clock.now() });
    this.generation++;
    this.compiled = compiled;
    this.checkedAt = this.ctx.clock.now();
    this.audit.record(undefined, {
      type: kind === 'rollback' ? 'policy.rolled_back' : 'policy.activated',
      severity: 'critical',
      actor,
      policyVersion: version,
      reason: `content ${record.contentHash.slice(0, 12)}`,
    });
    // Enforced now, so beside itself it could only agree: its report-only run has done its job.
    if (kind !== 'boot') await this.shadow.endAfterActivation(version, actor);
    return policyVersionView(record, { active: version }, false);
  }

  /** Runs `version` report-only beside the active one, replacing the one running. */
  async startReportOnly(version: number, actor: string): Promise<PolicyVersionView> {
    const [active] = await this.ctx.store.listPolicyActivations(1);
    const record = await this.shadow.start(version, actor, active?.version);
    return policyVersionView(record, { active: active?.version, reportOnly: version }, false);
  }

  /** Stops the report-only run; the version it stopped, or null when none was running. */
  stopReportOnly(actor: string): Promise<number | null> {
    return this.shadow.stop(actor, 'stopped by an administrator');
  }

  /** Re-activates the version that was active before the current one. */
  async rollback(actor: string): Promise<PolicyVersionView> {
    const [current, previous] = await this.ctx.store.listPolicyActivations(2);
    if (!current || !previous)
      throw new MfaError('POLICY_VERSION_NOT_FOUND', { reason: 'there is no earlier activation to roll back to' });
    return this.activate(previous.version, actor, 'rollback');
  }

  /** Passkeys count as enabled only where `webauthn` is configured, so no challenge offers what cannot be served. */
  private get available(): readonly FactorType[] {
    return this.ctx.webauthn ? FACTOR_TYPES : FACTOR_TYPES.filter((f) => f !== 'webauthn');
  }

  private compile(doc: PolicyDocument, version: number): CompiledPolicy {
    return compilePolicy(doc, version, this.available);
  }

  /** A stored version, checked when it was stored, compiled for this deployment. */
  private compileRecord(record: PolicyVersionRecord): CompiledPolicy {
    return this.compile(JSON.parse(record.document) as PolicyDocument, record.version);
  }

  private problemsOf(document: unknown): PolicyProblem[] {
    const problems = validatePolicy(document);
    return problems.length ? problems : unmeetableSteps(document as PolicyDocument, this.available);
  }

  private async load(boot: boolean): Promise<void> {
    const generation = this.generation;
    const shadowGeneration = this.shadow.generation;
    // Both reads at once: a report-only version adds no round trip to the refresh, and its
    // failure (a read, a sync) is reported apart: it never holds the enforced version back.
    const [activations, reportOnly] = await Promise.allSettled([
      this.ctx.store.listPolicyActivations(1),
      this.ctx.store.latestPolicyReportOnly(),
    ]);
    const shadowSynced = this.shadow.sync(reportOnly, shadowGeneration);
    if (activations.status === 'rejected') throw activations.reason;
    const [active] = activations.value;
    if (!active && boot && this.ctx.bootPolicy) {
      await shadowSynced;
      return this.bootFromOptions(this.ctx.bootPolicy);
    }
    if (active && active.version !== this.compiled.version) {
      const record = await this.ctx.store.findPolicyVersion(active.version);
      if (record && generation === this.generation) this.compiled = this.compileRecord(record);
    }
    this.checkedAt = this.ctx.clock.now();
    await shadowSynced;
  }

  private async bootFromOptions(document: PolicyDocument): Promise<void> {
    const problems = this.problemsOf(document);
    const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    if (problems.length) throw new MfaConfigurationError(`The policy in the options is invalid: ${list}`);
    // Exactly version 1, so instances booting together agree on one version: the one whose
    // insert wins activates it, the others wait for that activation instead of adding their own.
    const record: PolicyVersionRecord = {
      version: 1,
      author: 'boot',
      comment: 'from module options',
      createdAt: this.ctx.clock.now(),
      contentHash: policyHash(document),
      document: JSON.stringify(document),
    };
    if (await this.ctx.store.insertPolicyVersion(record)) {
      this.audit.record(undefined, {
        type: 'policy.version_created',
        severity: 'warning',
        actor: 'boot',
        policyVersion: 1,
        reason: record.comment ?? undefined,
      });
      await this.activate(1, 'boot', 'boot');
      return;
    }
    for (let wait = 0; wait < 50; wait++) {
      if ((await this.ctx.store.listPolicyActivations(1)).length) return this.load(false);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Versions exist but none was ever activated (stored by hand): boot ours on top of them.
    const created = await this.create(document, 'boot', 'from module options');
    await this.activate(created.version, 'boot', 'boot');
  }
}
