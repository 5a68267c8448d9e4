import type { MfaTarget } from '../../core/src';
import type { MfaRequest } from './subject-resolvers';

/** Labelled copies per target, so a guarded request allocates no new target once its route was seen. */
const labelled = new WeakMap<MfaTarget, Map<string, MfaTarget>>();
const MAX_LABELS_PER_TARGET = 256;

/**
 * The target, labelled with the route that matched (`POST /payments/:id/transfer`) for audit
 * and what-if. The route's pattern only, never the path or the router's mount point
 * (`req.baseUrl` is the concrete path): ids in a label would multiply the labels and could be
 * personal data. A middleware mounted with `app.use` runs before any route matched and leaves
 * the target unlabelled.
 */
export function withRouteLabel(req: MfaRequest, target: MfaTarget): MfaTarget {
  const pattern: unknown = req.route?.path;
  if (target.route !== undefined || typeof pattern !== 'string') return target;
  const label = `${String(req.method ?? '').toUpperCase()} ${pattern}`.slice(0, 191);
  let byLabel = labelled.get(target);
  if (!byLabel) labelled.set(target, (byLabel = new Map()));
  let copy = byLabel.get(label);
  if (!copy) {
    copy = { ...target, route: label };
    if (byLabel.size < MAX_LABELS_PER_TARGET) byLabel.set(label, copy);
  }
  return copy;
}
