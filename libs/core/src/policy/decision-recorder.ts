import type { AuditTrail } from '../audit/audit-trail';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { MfaSubject } from '../subject';
import { decide, Decision, Evidence } from './decide';
import { DecisionReplay, replayOf } from './decision-replay';
import type { PolicyService } from './policy.service';
import { ReportOnlyDedupe } from './report-only-dedupe';
import type { MfaTarget, RequestContext } from './request-context';

/** What a guarded decision comes to; spelled out so an audit reader needs no other policy type. */
export type DecisionOutcome = 'allow' | 'challenge' | 'deny';

/** What a report-only version would have done where it disagrees with the enforcing one. */
export interface ReportOnlyVerdict {
  /** The report-only version. */
  version: number;
  enforcedVersion: number;
  enforced: DecisionOutcome;
  wouldHave: DecisionOutcome;
  /** The report-only decision's rule: the one missing or denying, or every one that held. */
  ruleIds: string[];
  enforcedRuleIds: string[];
}

type Deps = Pick<ResolvedMfaContext, 'decisionAudit'>;

/** What the enforcer knows of a decision besides its inputs. */
export interface RecordFacts {
  /** The trusted-device cookie was checked for it. */
  deviceChecked?: boolean;
  /** The risk engine scored the request, or is off. @default true */
  riskScored?: boolean;
}

const VERB: Record<DecisionOutcome, string> = { allow: 'allow', challenge: 'challenge', deny: 'deny' };
const PAST: Record<DecisionOutcome, string> = { allow: 'allowed', challenge: 'challenged', deny: 'denied' };

export const ruleIdsOf = (d: Decision): string[] => (d.outcome === 'allow' ? d.ruleIds : [d.ruleId]);

/**
 * What a guarded decision leaves behind besides its answer: the report-only comparison (one
 * event per session, target and verdict a minute: ReportOnlyDedupe), `decision.allowed` when
 * `decisionAudit: 'all'`, and the replay record that the challenge and deny events carry.
 * Decided on the evidence the enforcer already read, so it adds no statement; and nothing
 * here can change or fail the decision it is handed.
 */
export class DecisionRecorder {
  private readonly repeats = new ReportOnlyDedupe();

  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly policy: PolicyService,
  ) {}

  /**
   * Call once per guarded request, with its final decision and what the enforcer knows of it
   * besides its inputs (`facts`). Returns the replay record for the challenge or deny event,
   * or undefined when none could be built: the decision goes on without it.
   */
  settled(
    subject: MfaSubject,
    target: MfaTarget,
    context: RequestContext,
    evidence: Evidence,
    decision: Decision,
    now: number,
    facts: RecordFacts = {},
  ): DecisionReplay | undefined {
    const shadow = this.policy.reportOnly();
    const allowedToo = this.deps.decisionAudit === 'all';
    // The hot path: an allowed request with nothing asked of it builds nothing.
    if (decision.outcome === 'allow' && !shadow && !allowedToo) return undefined;
    // A report is never worth a refused request: the enforced decision stands whatever happens
    // here, and so does the rest of the report when the record cannot be built (a host's groups
    // of a type it did not expect, a bug in a future field): its events go without one.
    let replay: DecisionReplay | undefined;
    let built = false;
    const record = () => {
      if (!built) {
        built = true;
        replay = guarded(() =>
          replayOf(target, context, evidence, now, {
            deviceCookieUnchecked: Boolean(context.deviceCookie) && !facts.deviceChecked,
            riskScored: facts.riskScored ?? true,
          }),
        );
      }
      return replay;
    };
    guarded(() => {
      if (shadow) {
        const would = decide(shadow, target, context, evidence, now);
        if (would.outcome !== decision.outcome) this.reportOnly(subject, target, decision, would, record, now);
      }
      if (decision.outcome === 'allow' && allowedToo)
        this.audit.record(subject, {
          type: 'decision.allowed',
          severity: 'info',
          outcome: 'success',
          policyVersion: decision.policyVersion,
          ruleId: decision.ruleIds.join(',').slice(0, 191) || undefined,
          replay: record(),
        });
    });
    return decision.outcome === 'allow' ? replay : record();
  }

  private reportOnly(
    subject: MfaSubject,
    target: MfaTarget,
    enforced: Decision,
    would: Decision,
    record: () => DecisionReplay | undefined,
    now: number,
  ): void {
    const verdict: ReportOnlyVerdict = {
      version: would.policyVersion,
      enforcedVersion: enforced.policyVersion,
      enforced: enforced.outcome,
      wouldHave: would.outcome,
      ruleIds: ruleIdsOf(would),
      enforcedRuleIds: ruleIdsOf(enforced),
    };
    if (!this.repeats.fresh(subject, target, verdict, now)) return;
    const rule = would.outcome === 'allow' ? '' : ` (rule ${would.ruleId})`;
    this.audit.record(subject, {
      type: 'policy.report_only',
      severity: 'info',
      // No `outcome`: nothing happened to the request because of this event.
      policyVersion: would.policyVersion,
      ruleId: verdict.ruleIds.join(',').slice(0, 191) || undefined,
      reason: `version ${would.policyVersion} would ${VERB[would.outcome]}${rule}; version ${enforced.policyVersion} ${PAST[enforced.outcome]}`,
      replay: record(),
      reportOnly: verdict,
    });
  }
}

function guarded<T>(build: () => T): T | undefined {
  try {
    return build();
  } catch (err) {
    process.stderr.write(`nestjs-mfa: decision record failed: ${err instanceof Error ? err.message : err}\n`);
    return undefined;
  }
}
