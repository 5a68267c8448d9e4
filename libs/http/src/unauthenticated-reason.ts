import { MfaError } from '../../core/src';
import type { MfaRequest } from './subject-resolvers';

/** Why no signed-in subject was found: each names one precondition of the host app. */
export type UnauthenticatedReason =
  | 'not_signed_in'
  | 'token_without_sid'
  | 'auth_guard_not_run'
  | 'passport_session_not_restored'
  | 'no_session_middleware'
  | 'custom_resolver_returned_null';

const FIXES: Record<Exclude<UnauthenticatedReason, 'not_signed_in'>, string> = {
  token_without_sid:
    'req.user has a user id but no `sid`, and there is no session: MFA keys its state by a per-login session id. ' +
    'Put `sid: randomUUID()` in the token at sign-in and return it from your JwtStrategy.validate() (see docs/token-apps.md).',
  auth_guard_not_run:
    'the request carries a bearer token but req.user was empty when MFA ran: your auth guard has not run yet. ' +
    "Nest: put it first, @UseGuards(AuthGuard('jwt'), MfaGuard), and name it in MfaModule.forRoot({ authGuards: [AuthGuard('jwt')] }) for MFA's own endpoints; " +
    "Express: createMfa({ authenticate: passport.authenticate('jwt', { session: false }) }) and put your auth middleware before mfa.requireMfa().",
  passport_session_not_restored:
    'the session holds a passport login but req.user is empty: passport.session() is missing or runs after MFA. ' +
    "Mount app.use(session(...), passport.initialize(), passport.session()) before MFA's router and guarded routes.",
  no_session_middleware:
    'the request sends a cookie but has no session object: session middleware is missing or mounted after MFA. ' +
    'Mount express-session (and passport.session()) before app.use(mfa.router) and before guarded routes, or use tokens with a `sid` claim.',
  custom_resolver_returned_null: 'your resolveSubject option returned null for this request.',
};

const logged = new Set<UnauthenticatedReason>();

/**
 * 401 UNAUTHENTICATED with the precondition that failed. The fix goes to the log once per
 * process and reason: the client learns only the reason, never the app's wiring.
 */
export function unauthenticated(
  req: MfaRequest,
  customResolver: boolean,
  log: (line: string) => void = stderr,
): MfaError {
  const reason = diagnose(req, customResolver);
  if (reason !== 'not_signed_in' && !logged.has(reason)) {
    logged.add(reason);
    log(`nestjs-mfa: 401 UNAUTHENTICATED (${reason}): ${FIXES[reason]}`);
  }
  return new MfaError('UNAUTHENTICATED', { reason });
}

function diagnose(req: MfaRequest, customResolver: boolean): UnauthenticatedReason {
  if (customResolver) return 'custom_resolver_returned_null';
  const user = req.user;
  const session = req.session;
  if (user && typeof user === 'object') return session ? 'not_signed_in' : 'token_without_sid';
  const authorization = req.headers?.authorization;
  if (typeof authorization === 'string' && /^bearer\s/i.test(authorization)) return 'auth_guard_not_run';
  // A cookie but no session object: the session middleware has not run (a first visit sends no cookie).
  if (!session) return typeof req.headers?.cookie === 'string' ? 'no_session_middleware' : 'not_signed_in';
  if (session.passport?.user !== undefined) return 'passport_session_not_restored';
  return 'not_signed_in';
}

function stderr(line: string): void {
  process.stderr.write(`${line}\n`);
}
