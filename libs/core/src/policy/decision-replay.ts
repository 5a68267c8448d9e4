import { assuranceOfRecord, type Aal } from '../factors/assurance';
import type { FactorType } from '../factors/factor-type';
import type { Evidence, UnspentGrant, VerifiedFactor } from './decide';
import type { RequirementStep } from './requirement';
import { baselineOf, MfaTarget, RequestContext, scopeOf, VerificationBaseline } from './request-context';

/** One verification of the session, as a replay needs it: what, how long before, how strong. */
export interface ReplayVerification {
  factor: FactorType;
  /** Seconds before the decision, to the millisecond, so freshness and order replay exactly. */
  ageSeconds: number;
  aal: Aal;
  multiFactor?: true;
  /** The context it was verified in, for `continuous` rules. */
  baseline?: VerificationBaseline;
}

/** An unspent single-use grant for the target's scope, read because a single-use step was missing. */
export interface ReplayGrant {
  factor: FactorType;
  ageSeconds: number;
  expiresInSeconds: number;
  aal: Aal;
}

/**
 * The inputs of one guarded decision, compact enough for every challenge and deny event:
 * enough to decide the same request again under another policy version (what-if), and
 * nothing a user could be harmed by. No cookie, code, secret, session id or IP address: the
 * event's own fields already say who and from where, under the audit trail's retention.
 */
export interface DecisionReplay {
  /** The shape's version; a reader skips shapes it does not know. */
  v: 1;
  target: {
    service?: string;
    operation?: string;
    /** `METHOD /path/:pattern` of the route, when the adapter knows it. */
    route?: string;
    sensitivity?: string[];
    /** The route's own requirement (`@RequireMfa`, `requireMfa()`), which no policy version changes. */
    requirement?: RequirementStep[];
  };
  groups: string[];
  /** As `RequestContext` has them; never the device cookie. */
  context: { country?: string; risk?: number; deviceTrusted?: boolean; deviceTrust?: number; machine?: boolean };
  verified: ReplayVerification[];
  grants?: ReplayGrant[];
  /** A trusted-device cookie came with the request but the decision never needed it checked. */
  deviceCookieUnchecked?: true;
  /**
   * The request's risk was never scored: no version then enforced or run report-only read risk,
   * or the decision was settled without the score. `context.risk` is then only what the host's
   * hook gave, if anything; a candidate that reads risk replays it without a score.
   */
  riskScored?: false;
  /** Groups or verifications were cut to keep the event small: a replay would guess, so what-if skips it. */
  incomplete?: true;
}

const MAX_GROUPS = 64;
const MAX_TEXT = 128;
const MAX_VERIFIED = 32;
const MAX_ROUTE = 191;

const secondsBetween = (earlier: number, later: number) => Math.max(0, later - earlier) / 1000;
/** Back to whole milliseconds: a division by 1000 and a product need not round-trip in floating point. */
const msOf = (seconds: number) => Math.round(seconds * 1000);

/** What the enforcer knows about a decision that its inputs do not say. */
export interface ReplayFacts {
  /** A trusted-device cookie came with the request and was not checked. */
  deviceCookieUnchecked?: boolean;
  /** The risk engine scored the request (or is off, so the host's value is what decisions read). @default true */
  riskScored?: boolean;
}

/**
 * What `decide` was given, as a record; built only when an event will carry it. Groups and
 * labels come from the host (a JWT's numeric groups included): each is made a string here.
 */
export function replayOf(
  target: MfaTarget,
  context: RequestContext,
  evidence: Evidence,
  now: number,
  facts: ReplayFacts = {},
): DecisionReplay {
  let incomplete = evidence.groups.length > MAX_GROUPS || evidence.verified.length > MAX_VERIFIED;
  const text = (value: unknown) => {
    const s = String(value);
    if (s.length > MAX_TEXT) incomplete = true;
    return s.slice(0, MAX_TEXT);
  };
  const replay: DecisionReplay = {
    v: 1,
    target: {},
    groups: evidence.groups.slice(0, MAX_GROUPS).map(text),
    context: {},
    verified: evidence.verified.slice(-MAX_VERIFIED).map((v) => verificationOf(v, now)),
  };
  if (target.service !== undefined) replay.target.service = text(target.service);
  if (target.operation !== undefined) replay.target.operation = text(target.operation);
  if (target.route !== undefined) replay.target.route = String(target.route).slice(0, MAX_ROUTE);
  if (target.sensitivity?.length) replay.target.sensitivity = target.sensitivity.slice(0, MAX_GROUPS).map(text);
  if (target.requirement) replay.target.requirement = target.requirement.steps;
  for (const key of ['country', 'risk', 'deviceTrusted', 'deviceTrust', 'machine'] as const)
    if (context[key] !== undefined) (replay.context as Record<string, unknown>)[key] = context[key];
  if (evidence.grants.length) replay.grants = evidence.grants.map((g) => grantOf(g, now));
  if (facts.deviceCookieUnchecked) replay.deviceCookieUnchecked = true;
  if (facts.riskScored === false) replay.riskScored = false;
  if (incomplete) replay.incomplete = true;
  return replay;
}

function verificationOf(v: VerifiedFactor, now: number): ReplayVerification {
  const assurance = assuranceOfRecord(v);
  const out: ReplayVerification = {
    factor: v.factor,
    ageSeconds: secondsBetween(v.verifiedAt, now),
    aal: assurance.aal,
  };
  if (assurance.multiFactor) out.multiFactor = true;
  const baseline = v.baseline && baselineOf(v.baseline);
  if (baseline && Object.keys(baseline).length) out.baseline = baseline;
  return out;
}

function grantOf(g: UnspentGrant, now: number): ReplayGrant {
  return {
    factor: g.factor,
    ageSeconds: secondsBetween(g.createdAt, now),
    expiresInSeconds: secondsBetween(now, g.expiresAt),
    aal: assuranceOfRecord(g).aal,
  };
}

/** The decision's inputs again, at the event's time; ids are made up, since only their distinctness counts. */
export function replayInput(
  replay: DecisionReplay,
  userId: string,
  at: number,
): { target: MfaTarget; context: RequestContext; evidence: Evidence } {
  const { service, operation, sensitivity, requirement, route } = replay.target;
  const target: MfaTarget = {};
  if (service !== undefined) target.service = service;
  if (operation !== undefined) target.operation = operation;
  if (route !== undefined) target.route = route;
  if (sensitivity) target.sensitivity = sensitivity;
  if (requirement) target.requirement = { steps: requirement };
  const scope = scopeOf(target);
  const assurance = (aal: Aal, multiFactor?: true) => ({ aal, amr: [], ...(multiFactor && { multiFactor }) });
  const verified: VerifiedFactor[] = replay.verified.map((v, i) => ({
    factor: v.factor,
    verifiedAt: at - msOf(v.ageSeconds),
    eventId: `v${i}`,
    assurance: assurance(v.aal, v.multiFactor),
    ...(v.baseline && { baseline: v.baseline }),
  }));
  const grants: UnspentGrant[] = (replay.grants ?? []).map((g, i) => ({
    id: `g${i}`,
    scope,
    factor: g.factor,
    createdAt: at - msOf(g.ageSeconds),
    expiresAt: at + msOf(g.expiresInSeconds),
    eventId: `g${i}`,
    assurance: assurance(g.aal),
  }));
  return { target, context: { ...replay.context }, evidence: { userId, groups: replay.groups, verified, grants } };
}

/** A record this version of the code can replay faithfully. */
export function isReplayable(replay: unknown): replay is DecisionReplay {
  const r = replay as DecisionReplay | null | undefined;
  return !!r && r.v === 1 && !r.incomplete && Array.isArray(r.groups) && Array.isArray(r.verified) && !!r.target;
}
