import type { MfaEngine, MfaSubject, RequestContext } from '../../../core/src';
import { assertSameOrigin } from '../csrf/same-origin';
import type { MfaHttpOptions } from '../mfa-options';
import { otherSessionsOffer } from '../other-sessions.offer';
import { resolveRequestContext } from '../request-context.resolver';
import { assertStorableUserId } from '../storable-user-id';
import { defaultResolveSubject, MfaRequest } from '../subject-resolvers';
import { unauthenticated } from '../unauthenticated-reason';

/**
 * What every endpoint group shares: the engine, the options, and the few steps each
 * endpoint takes in the same order (CSRF, then the caller, then the body).
 */
export class EndpointContext {
  constructor(
    /** Resolves once the store is open; the Express adapter's requests may arrive before. */
    readonly engine: () => Promise<MfaEngine>,
    readonly options: MfaHttpOptions,
    /** Where the adapter mounts MFA's endpoints, for the links in refusals and offers. */
    readonly routePrefix: string,
  ) {}

  sameOrigin(req: MfaRequest): void {
    assertSameOrigin(req, this.options.csrf);
  }

  /** Every subject enters here; an id the store cannot keep is refused before anything is written under it. */
  resolveSubject(req: MfaRequest): Promise<MfaSubject | null> | MfaSubject | null {
    const resolved = (this.options.resolveSubject ?? defaultResolveSubject)(req);
    if (resolved instanceof Promise) return resolved.then(storableSubject);
    return storableSubject(resolved);
  }

  async caller(req: MfaRequest): Promise<{ subject: MfaSubject; context: RequestContext }> {
    const subject = await this.resolveSubject(req);
    if (!subject) throw unauthenticated(req, this.options.resolveSubject !== undefined);
    return { subject, context: await this.context(req, subject) };
  }

  context(req: MfaRequest, subject: MfaSubject): Promise<RequestContext> {
    return resolveRequestContext(req, subject, this.options);
  }

  /** The user's other sessions and where to end them; an admin (no `currentSessionId`) hears about all of them. */
  async sessionsOffer(userId: string, currentSessionId?: string) {
    return otherSessionsOffer(
      await this.engine(),
      this.options.endOtherSessions,
      this.routePrefix,
      userId,
      currentSessionId,
    );
  }
}

function storableSubject(subject: MfaSubject | null): MfaSubject | null {
  if (subject) assertStorableUserId(String(subject.userId), 'subject');
  return subject;
}

/**
 * Route parameters arrive as strings in both adapters; a missing one is the empty id, never
 * found. So is one no id can be (a NUL, which PostgreSQL refuses as a 503, or over 191
 * characters): it answers exactly like an unknown id.
 */
export function param(req: MfaRequest, name: string): string {
  const raw = String(req.params?.[name] ?? '');
  return raw.length > 191 || raw.includes('\u0000') ? '' : raw;
}
