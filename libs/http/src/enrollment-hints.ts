import { isMfaError, MfaError } from '../../core/src';

/** Where each factor is bound, so a 403 MFA_ENROLLMENT_REQUIRED says what to do next. */
export interface EnrollmentHint {
  method: string;
  verb: 'POST';
  href: string;
}

/** Adds `enroll: [{ method, verb, href }]` under the route prefix; any other error, or one already hinted, passes unchanged. */
export function withEnrollmentHints(err: unknown, routePrefix: string): unknown {
  // Once hinted, `enrollable` has become `enroll`: a second pass must not empty it.
  if (!isMfaError(err) || err.code !== 'MFA_ENROLLMENT_REQUIRED' || !('enrollable' in err.details)) return err;
  const { enrollable, ...details } = err.details as { enrollable?: string[] };
  const prefix = `/${routePrefix.replace(/^\/+|\/+$/g, '')}`;
  const enroll: EnrollmentHint[] = (enrollable ?? []).map((method) => ({
    method,
    verb: 'POST',
    href: `${prefix}/${method}/enrollments`,
  }));
  return new MfaError('MFA_ENROLLMENT_REQUIRED', { ...details, enroll }, err.retryAfterSeconds);
}
