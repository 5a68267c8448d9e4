import type { MfaSubject } from '../subject';
import type { ReportOnlyVerdict } from './decision-recorder';
import { MfaTarget, scopeOf } from './request-context';

/** A disagreement is reported once per session (or user), target and verdict within this window. */
export const REPORT_ONLY_REPEAT_MS = 60_000;
/** At most this many disagreements remembered; the oldest is forgotten first. */
const MAX_REMEMBERED = 10_000;

/**
 * Keeps a report-only version that disagrees on every request (a lockdown, say) from writing
 * a row per guarded request: the same disagreement, for the same session and target, is
 * audited again only once the window has passed. Per process and bounded, so an instance
 * forgets, never grows: several instances may each report the same one.
 */
export class ReportOnlyDedupe {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly repeatMs = REPORT_ONLY_REPEAT_MS,
    private readonly max = MAX_REMEMBERED,
  ) {}

  /** True when this disagreement should be audited now; remembers it if so. */
  fresh(subject: MfaSubject, target: MfaTarget, verdict: ReportOnlyVerdict, now: number): boolean {
    const who = subject.sessionId ? `s:${subject.sessionId}` : `u:${subject.userId}`;
    const what = target.route ?? scopeOf(target);
    const key = `${who}\n${what}\n${verdict.version}:${verdict.enforcedVersion}:${verdict.enforced}>${verdict.wouldHave}`;
    const last = this.seen.get(key);
    if (last !== undefined && now - last < this.repeatMs) return false;
    // Re-inserted at the end, so the first key is always the one reported longest ago.
    this.seen.delete(key);
    if (this.seen.size >= this.max) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, now);
    return true;
  }
}
