import type { ResolvedMfaContext } from '../options/mfa-context';
import type { CompiledPolicy } from '../policy/compile-policy';
import { decide, Evidence } from '../policy/decide';
import type { MfaTarget, RequestContext } from '../policy/request-context';
import type { RiskProfile } from '../ports/risk-history.port';
import type { MfaSubject } from '../subject';
import { failureBurstSignal, recentFailures } from './failure-burst.signal';
import { eitherReadsRisk, readsRisk } from './reads-risk';
import { learnFrom, liveProfile } from './risk-history';
import { observe } from './risk-observation';
import { RiskProfileCache } from './risk-profile.cache';
import { hostValue } from './risk-score';
import { HISTORY_SIGNALS, knownSignals, readsHistory, scoredContext, unreadSignals } from './risk-signal-set';
import { untrustedIpSignal } from './untrusted-ip.signal';

type Deps = Pick<ResolvedMfaContext, 'risk' | 'riskHistory' | 'counters' | 'clock'>;
type Client = Pick<MfaSubject, 'userId' | 'ip' | 'userAgent'>;

/** What a verified request teaches, held until the verification is committed. */
export interface RiskLesson {
  /** The profile with this request learned. */
  profile: RiskProfile;
  /** The stored profile's `updatedAt` when it was read, null when there was none: the write's condition. */
  readAt: number | null;
  /**
   * The request scored against `profile`: what the verification answered for (a new
   * country, the trip there) no longer counts, what persists (an untrusted network) does.
   * The verification's baseline, so `riskIncrease` compares later requests with it.
   */
  context: RequestContext;
}

/**
 * Scores a request from the user's own verified history and folds in the host's
 * `riskSignal`. The enforcer asks it before deciding, the challenge service once a factor is
 * accepted (the lesson and the baseline); nothing else reads or writes history.
 */
export class RiskEngine {
  private readonly profiles: RiskProfileCache;

  constructor(private readonly deps: Deps) {
    this.profiles = new RiskProfileCache(deps.risk.cacheMs, deps.clock);
  }

  /** Assessed only while a policy reads risk, the enforced one or the report-only one; otherwise no request pays for it. */
  assesses(policy: CompiledPolicy, reportOnly?: CompiledPolicy | null): boolean {
    return this.deps.risk.enabled !== false && eitherReadsRisk(policy, reportOnly);
  }

  /**
   * The context's risk is what a decision under any version would read: the engine scored it,
   * or the engine is off and the host's value is all there is. False when scoring was skipped
   * because no version deciding the request read risk, or it was settled without the score.
   */
  scored(context: RequestContext): boolean {
    return this.deps.risk.enabled === false || context.riskSignals !== undefined;
  }

  /** `enabled: true` keeps learning under a policy that does not read risk, so history is ready when one does. */
  learns(policy: CompiledPolicy, reportOnly?: CompiledPolicy | null): boolean {
    const { enabled } = this.deps.risk;
    return enabled === true || (enabled === 'auto' && eitherReadsRisk(policy, reportOnly));
  }

  /**
   * The request at the highest score it could get, known without waiting: the signals of a
   * profile this process holds fresh in its cache, and a static `untrustedIps` list, are
   * computed; what only I/O could tell (a profile not cached, the failure count, an address
   * callback) is assumed to fire. Synchronous, for the session-cache fast path.
   */
  ceiling(subject: Client, context: RequestContext): RequestContext {
    const { risk, clock } = this.deps;
    if (context.riskSignals) return context;
    if (risk.hostSignal === 'replace' && context.risk !== undefined)
      return { ...context, risk: hostValue(context.risk) };
    const now = clock.now();
    const cached = readsHistory(risk) ? this.profiles.peek(subject.userId) : undefined;
    const profile = cached && liveProfile(cached.profile, now, risk.retentionMs);
    const assumed = cached ? unreadSignals(risk) : [...HISTORY_SIGNALS, ...unreadSignals(risk)];
    return scoredContext(risk, context, knownSignals(risk, profile, observe(subject, context, now)), assumed);
  }

  /**
   * The context the enforcer decides with, assessed only as far as a decision can depend on
   * it: the enforced one, and the report-only one when it reads risk. Decisions only ever
   * demand more as risk rises, so when both allow at the ceiling nothing is read. When only
   * the report-only decision needs the score, a read that fails leaves the request
   * unassessed rather than refused: a report is never worth a refused request.
   */
  async decisionContext(
    subject: Client,
    context: RequestContext,
    policy: CompiledPolicy,
    target: MfaTarget,
    evidence: Evidence,
    now: number,
    reportOnly: CompiledPolicy | null = null,
  ): Promise<RequestContext> {
    if (!this.assesses(policy, reportOnly) || context.riskSignals) return context;
    const allows = (p: CompiledPolicy) => (c: RequestContext) =>
      decide(p, target, c, evidence, now).outcome === 'allow';
    const enforced = allows(policy);
    const reported = reportOnly && readsRisk(reportOnly) ? allows(reportOnly) : () => true;
    const settled = (c: RequestContext) => enforced(c) && reported(c);
    const ceiling = this.ceiling(subject, context);
    if (settled(ceiling)) return context;
    const assessed = this.assess(subject, context, settled);
    if (readsRisk(policy) && !enforced(ceiling)) return assessed;
    return assessed.catch((err) => {
      process.stderr.write(
        `nestjs-mfa: risk for the report-only policy: ${err instanceof Error ? err.message : err}\n`,
      );
      return context;
    });
  }

  /**
   * The context with `risk` (built-in and host combined) and `riskSignals` set. A store or
   * counter that cannot be read throws through: the request fails closed, it is never scored
   * 0. An assessed context comes back as it is, so nothing counts twice. `settled`: when it
   * holds with the signals that need I/O assumed to fire, they are not looked up (the score
   * is then a lower bound that decides the same).
   */
  async assess(
    subject: Client,
    context: RequestContext,
    settled?: (upper: RequestContext) => boolean,
  ): Promise<RequestContext> {
    if (context.riskSignals) return context;
    const { risk, riskHistory, counters, clock } = this.deps;
    if (risk.hostSignal === 'replace' && context.risk !== undefined) {
      const score = hostValue(context.risk);
      return { ...context, risk: score, riskSignals: { hostSignal: score } };
    }
    const now = clock.now();
    const observation = observe(subject, context, now);
    const stored = readsHistory(risk)
      ? await this.profiles.get(subject.userId, () => riskHistory.loadRiskProfile(subject.userId))
      : undefined;
    const signals = knownSignals(risk, liveProfile(stored, now, risk.retentionMs), observation);
    const unread = unreadSignals(risk);
    if (!unread.length || settled?.(scoredContext(risk, context, signals, unread)))
      return scoredContext(risk, context, signals);
    const [failures, untrustedIp] = await Promise.all([
      unread.includes('failureBurst') ? recentFailures(counters, subject.userId, now) : 0,
      unread.includes('untrustedIp') ? untrustedIpSignal(observation.ip, risk.untrusted!.test) : undefined,
    ]);
    const failureBurst = failureBurstSignal(failures, risk.failureBurst);
    return scoredContext(risk, context, {
      ...signals,
      ...(failureBurst && { failureBurst }),
      ...(untrustedIp && { untrustedIp }),
    });
  }

  /**
   * What this request would teach if its factor is accepted, and the baseline it would leave.
   * Reads the profile past the cache (the write is conditional on what was read: a stale copy
   * would only lose the lesson) and a host's address callback; throws when either cannot be
   * read. `scored`: a policy reads risk, so the baseline is the request scored against what it
   * teaches; otherwise the context as it came. No failure burst in it: the success clears it.
   */
  async lesson(subject: Client, context: RequestContext, scored: boolean): Promise<RiskLesson> {
    const { risk, riskHistory, clock } = this.deps;
    const now = clock.now();
    const observation = observe(subject, context, now);
    const previous = await riskHistory.loadRiskProfile(subject.userId);
    const profile = learnFrom(subject.userId, previous, observation, risk.retentionMs);
    const lesson: RiskLesson = { profile, readAt: previous?.updatedAt ?? null, context };
    if (!scored || context.riskSignals) return lesson;
    if (risk.hostSignal === 'replace' && context.risk !== undefined)
      return { ...lesson, context: await this.assess(subject, context) };
    const signals = knownSignals(risk, liveProfile(profile, now, risk.retentionMs), observation);
    const untrustedIp = unreadSignals(risk).includes('untrustedIp')
      ? await untrustedIpSignal(observation.ip, risk.untrusted!.test)
      : undefined;
    return { ...lesson, context: scoredContext(risk, context, { ...signals, ...(untrustedIp && { untrustedIp }) }) };
  }

  /**
   * Stores a lesson, once the verification it came from is committed. False when the
   * profile changed since the lesson read it (an admin's reset, another verification):
   * nothing is written then, so a reset stays a reset. When the write throws, this instance
   * still caches the lesson (the verification did teach it; only the store missed it), so the
   * session it just verified is not asked again here at once; the store's copy stays older.
   */
  async remember(lesson: RiskLesson): Promise<boolean> {
    const { userId } = lesson.profile;
    const saved = await this.deps.riskHistory.saveRiskProfile(lesson.profile, lesson.readAt).catch((err) => {
      this.profiles.set(userId, lesson.profile);
      throw err;
    });
    if (saved) this.profiles.set(userId, lesson.profile);
    else this.profiles.delete(userId);
    return saved;
  }

  /** Erasure or an admin's reset: the user starts over, as on their first sign-in. */
  async forget(userId: string): Promise<void> {
    await this.deps.riskHistory.forgetRiskProfile(userId);
    this.profiles.delete(userId);
  }

  /** Drops up to `limit` profiles not written within the retention window; returns how many went. */
  prune(limit: number): Promise<number> {
    const { risk, riskHistory, clock } = this.deps;
    return riskHistory.pruneRiskProfiles(clock.now() - risk.retentionMs, limit);
  }
}
