import type { AuditEvent } from '../ports/audit-sink.port';
import type { CompiledPolicy } from './compile-policy';
import { decide } from './decide';
import { DecisionOutcome, ruleIdsOf } from './decision-recorder';
import { DecisionReplay, isReplayable, replayInput } from './decision-replay';

/** The decision events a what-if replays, and the outcome each one records. */
export const DECISION_EVENTS: Readonly<Record<string, DecisionOutcome>> = {
  'challenge.issued': 'challenge',
  'decision.denied': 'deny',
  'decision.allowed': 'allow',
};

/** One recorded decision the candidate would have taken otherwise. */
export interface WhatIfSample {
  eventId: string;
  at: string;
  userId: string;
  route: string;
  happened: DecisionOutcome;
  wouldHave: DecisionOutcome;
  /** The candidate's deciding rule: the one missing or denying, or every one that held. */
  ruleIds: string[];
  /** Why, in the candidate's words (each applicable requirement until the first unmet). */
  reasons: string[];
}

export interface WhatIfTotals {
  eventsRead: number;
  replayed: number;
  notReplayable: number;
  /** Replays where a trusted-device cookie came unchecked and the candidate would accept a device: may be overstated. */
  deviceCookieUnchecked: number;
  /** Replayed decisions whose risk was never scored (`riskScored: false` in the record). */
  riskUnscored: number;
  byType: Record<string, number>;
}

/** What changed under the candidate: the tally's answer, and the body of the what-if result. */
export interface WhatIfChanges {
  /** Replayed decisions the candidate would have taken otherwise; the fields below break them down. */
  changed: number;
  transitions: Array<{ from: DecisionOutcome; to: DecisionOutcome; count: number }>;
  wouldAllow: number;
  wouldChallenge: number;
  wouldDeny: number;
  topUsers: Array<{ userId: string; count: number }>;
  topRoutes: Array<{ route: string; count: number }>;
  topRules: Array<{ ruleId: string; count: number }>;
  samples: WhatIfSample[];
}

/** Where a decision was taken, for grouping: the adapter's route, else the service and operation. */
export function routeLabel(target: DecisionReplay['target']): string {
  if (target.route) return target.route;
  if (target.service !== undefined || target.operation !== undefined)
    return `service ${target.service ?? '-'} / operation ${target.operation ?? '-'}`;
  return target.requirement ? 'a route with its own requirement' : 'an unmapped route';
}

/** Replays recorded decisions under a candidate, one event at a time, keeping only counts and a few samples. */
export class WhatIfTally {
  private readonly totals = {
    eventsRead: 0,
    replayed: 0,
    notReplayable: 0,
    deviceCookieUnchecked: 0,
    riskUnscored: 0,
    changed: 0,
  };
  private readonly byType = new Map<string, number>();
  private readonly transitions = new Map<string, number>();
  private readonly users = new Map<string, number>();
  private readonly routes = new Map<string, number>();
  private readonly rules = new Map<string, number>();
  private readonly samples: WhatIfSample[] = [];

  constructor(
    private readonly candidate: CompiledPolicy,
    private readonly top: number,
  ) {}

  add(event: AuditEvent & { id: string }): void {
    const happened = DECISION_EVENTS[event.type];
    if (!happened) return;
    this.totals.eventsRead++;
    bump(this.byType, event.type);
    if (!isReplayable(event.replay) || !event.userId) {
      this.totals.notReplayable++;
      return;
    }
    this.totals.replayed++;
    if (event.replay.riskScored === false) this.totals.riskUnscored++;
    const { target, context, evidence } = replayInput(event.replay, event.userId, event.at);
    const would = decide(this.candidate, target, context, evidence, event.at);
    if (would.outcome === happened) return;
    if (
      event.replay.deviceCookieUnchecked &&
      would.outcome === 'challenge' &&
      would.remaining.some((s) => s.allowTrustedDevice)
    )
      this.totals.deviceCookieUnchecked++;
    this.totals.changed++;
    const route = routeLabel(event.replay.target);
    const ruleIds = ruleIdsOf(would);
    bump(this.transitions, `${happened}>${would.outcome}`);
    bump(this.users, event.userId);
    bump(this.routes, route);
    for (const id of ruleIds) bump(this.rules, id);
    if (this.samples.length < this.top)
      this.samples.push({
        eventId: event.id,
        at: new Date(event.at).toISOString(),
        userId: event.userId,
        route,
        happened,
        wouldHave: would.outcome,
        ruleIds,
        reasons: would.reasons,
      });
  }

  get eventsRead(): number {
    return this.totals.eventsRead;
  }

  result(): WhatIfTotals & WhatIfChanges {
    const transitions = [...this.transitions].map(([key, count]) => {
      const [from, to] = key.split('>') as [DecisionOutcome, DecisionOutcome];
      return { from, to, count };
    });
    const into = (outcome: DecisionOutcome) =>
      transitions.filter((t) => t.to === outcome).reduce((sum, t) => sum + t.count, 0);
    return {
      ...this.totals,
      byType: Object.fromEntries(Object.keys(DECISION_EVENTS).map((type) => [type, this.byType.get(type) ?? 0])),
      transitions: transitions.sort((a, b) => b.count - a.count),
      wouldAllow: into('allow'),
      wouldChallenge: into('challenge'),
      wouldDeny: into('deny'),
      topUsers: topOf(this.users, this.top).map(([userId, count]) => ({ userId, count })),
      topRoutes: topOf(this.routes, this.top).map(([route, count]) => ({ route, count })),
      topRules: topOf(this.rules, this.top).map(([ruleId, count]) => ({ ruleId, count })),
      samples: this.samples,
    };
  }
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Highest counts first; equal counts by key, so the answer does not depend on the order events were read in. */
function topOf(counts: Map<string, number>, n: number): Array<[string, number]> {
  return [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).slice(0, n);
}
