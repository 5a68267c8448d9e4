import { sessionRefOf } from '../audit/audit-trail';

/** `session.renewed`, recorded for the new id: which session it came from, by a short hash. */
export function sessionRenewedEvent(fromSessionId: string) {
  return {
    type: 'session.renewed',
    severity: 'info' as const,
    outcome: 'success' as const,
    reason: `from session ${sessionRefOf(fromSessionId).slice(0, 16)}`,
  };
}
