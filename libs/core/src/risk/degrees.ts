/**
 * A latitude (`limit` 90) or longitude (180) in degrees: a finite number within ±limit. The
 * one check for coordinates from every source: the edge's headers, a GeoIP record, a context.
 */
export function isDegrees(value: unknown, limit: 90 | 180): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit;
}
