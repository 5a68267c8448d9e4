import { MfaError } from '../errors/mfa.error';
import { readsRisk } from '../risk/reads-risk';
import type { AuditReader } from '../ports/audit-sink.port';
import type { CompiledPolicy } from './compile-policy';
import { DECISION_EVENTS, WhatIfChanges, WhatIfTally } from './what-if-tally';

/** A replay reads at most this much of the trail: an admin's question must not become an outage. */
export const WHAT_IF_LIMITS = { maxDays: 31, maxEvents: 50_000, maxTop: 50 } as const;
const PAGE = 200;
const DAY_MS = 86_400_000;

export interface WhatIfWindow {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  /** How many users, routes, rules and sample events to list. @default 10, at most 50 */
  top?: number;
}

/** What the replay could see, said plainly: a what-if is only as good as the trail it reads. */
export interface WhatIfCoverage {
  eventsRead: number;
  replayed: number;
  /** Events written before decisions carried a replay record (or cut short): counted, not replayed. */
  notReplayable: number;
  byType: Record<string, number>;
  /**
   * Whether any allowed request was recorded in the window. False: allowed requests were not
   * audited then (`decisionAudit: 'refusals'`), so none can turn into a challenge or deny here.
   */
  allowedAudited: boolean;
  deviceCookieUnchecked: number;
  /**
   * Replayed decisions whose risk was never scored (no version then deciding read risk, or the
   * request was settled without the score): a candidate that reads risk sees them without it.
   */
  riskUnscored: number;
  notes: string[];
}

export interface WhatIfResult extends WhatIfChanges {
  /** `version: null`: a document that is not stored. */
  candidate: { version: number | null; contentHash: string };
  window: { from: string; to: string };
  coverage: WhatIfCoverage;
}

/** Refuses a window that is empty, backwards, or longer than a replay may read. */
export function checkWhatIfWindow(window: WhatIfWindow): void {
  if (!Number.isFinite(window.from) || !Number.isFinite(window.to) || window.from >= window.to)
    throw new MfaError('WHAT_IF_WINDOW_INVALID');
  if (window.to - window.from > WHAT_IF_LIMITS.maxDays * DAY_MS)
    throw new MfaError('WHAT_IF_WINDOW_TOO_LARGE', {
      maxDays: WHAT_IF_LIMITS.maxDays,
      maxEvents: WHAT_IF_LIMITS.maxEvents,
    });
}

/**
 * Replays every recorded decision in the window under `candidate` and compares it with what
 * happened. Reads through the audit query port, page by page, one decision type at a time;
 * keeps counts and a few samples only, so memory does not grow with the window.
 */
export async function whatIf(
  reader: AuditReader,
  candidate: CompiledPolicy,
  window: WhatIfWindow,
): Promise<WhatIfResult> {
  checkWhatIfWindow(window);
  const top = Math.min(Math.max(Math.trunc(window.top ?? 10), 1), WHAT_IF_LIMITS.maxTop);
  const tally = new WhatIfTally(candidate, top);
  for (const type of Object.keys(DECISION_EVENTS)) {
    let cursor: string | undefined;
    do {
      const page = await reader.query({ type, from: window.from, to: window.to, limit: PAGE, cursor });
      for (const event of page.events) tally.add(event);
      if (tally.eventsRead > WHAT_IF_LIMITS.maxEvents)
        throw new MfaError('WHAT_IF_WINDOW_TOO_LARGE', {
          maxDays: WHAT_IF_LIMITS.maxDays,
          maxEvents: WHAT_IF_LIMITS.maxEvents,
        });
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  const { eventsRead, replayed, notReplayable, byType, deviceCookieUnchecked, riskUnscored, ...outcome } =
    tally.result();
  // From the trail itself: `decisionAudit` today says nothing of what it was in the window.
  const allowedAudited = byType['decision.allowed'] > 0;
  return {
    candidate: { version: candidate.version === 0 ? null : candidate.version, contentHash: candidate.contentHash },
    window: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() },
    coverage: {
      eventsRead,
      replayed,
      notReplayable,
      byType,
      allowedAudited,
      deviceCookieUnchecked,
      riskUnscored,
      notes: notesOf(allowedAudited, notReplayable, deviceCookieUnchecked, readsRisk(candidate) ? riskUnscored : 0),
    },
    ...outcome,
  };
}

function notesOf(
  allowedAudited: boolean,
  notReplayable: number,
  deviceCookieUnchecked: number,
  riskUnscored: number,
): string[] {
  const notes = [
    'A challenge is recorded once per open challenge: requests repeated while it was open are not counted again.',
    'Mandatory enrollment and the methods offered are not compared, only allow, challenge and deny.',
  ];
  if (!allowedAudited)
    notes.unshift(
      "No allowed request was recorded in this window (decisionAudit: 'refusals' then, or none happened): requests the candidate would newly challenge or deny are missing.",
    );
  if (notReplayable)
    notes.push(
      `${notReplayable} decision events carry no replay record (written before it existed, or it could not be built) and were skipped.`,
    );
  if (deviceCookieUnchecked)
    notes.push(
      `${deviceCookieUnchecked} changes may be overstated: a trusted-device cookie came with the request but was never checked.`,
    );
  if (riskUnscored)
    notes.push(
      `${riskUnscored} decisions were recorded without a risk score (no version deciding them read risk, or they ` +
        'were allowed before a score was needed) and were ' +
        "replayed without one, so what this candidate's risk conditions would change there is not shown. " +
        'Run a candidate that reads risk report-only instead: requests are scored for it.',
    );
  return notes;
}
