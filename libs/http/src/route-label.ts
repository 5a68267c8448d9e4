import type { MfaTarget } from '../../core/src';
import type { MfaRequest } from './subject-resolvers';

/** Labelled copies per target, by pattern then method, so a route seen before costs no string and no copy. */
const labelled = new WeakMap<MfaTarget, { size: number; byPattern: Map<string, Map<unknown, MfaTarget>> }>();
const MAX_LABELS_PER_TARGET = 256;

/**
 * The target, labelled with the route that matched (`POST /payments/:id/transfer`) for audit
 * and what-if. The route's pattern only, never the path or the router's mount point
 * (`req.baseUrl` is the concrete path): ids in a label would multiply the labels and could be
 * personal data. A middleware mounted with `app.use` runs before any route matched and leaves
 * the target unlabelled. The label is built the first time a route is seen, not per request:
 * most requests build no record to put it in.
 */
export function withRouteLabel(req: MfaRequest, target: MfaTarget): MfaTarget {
  const pattern: unknown = req.route?.path;
  if (target.route !== undefined || typeof pattern !== 'string') return target;
  const method: unknown = req.method;
  let labels = labelled.get(target);
  if (!labels) labelled.set(target, (labels = { size: 0, byPattern: new Map() }));
  let byMethod = labels.byPattern.get(pattern);
  const seen = byMethod?.get(method);
  if (seen) return seen;
  const copy = { ...target, route: `${String(method ?? '').toUpperCase()} ${pattern}`.slice(0, 191) };
  if (labels.size < MAX_LABELS_PER_TARGET) {
    if (!byMethod) labels.byPattern.set(pattern, (byMethod = new Map()));
    byMethod.set(method, copy);
    labels.size++;
  }
  return copy;
}
