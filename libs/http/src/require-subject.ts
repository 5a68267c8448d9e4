import { MfaError, MfaSubject } from '../../core/src';
import { MfaRequest, ResolveSubject } from './subject-resolvers';

export async function requireSubject(resolve: ResolveSubject, req: MfaRequest): Promise<MfaSubject> {
  const subject = await resolve(req);
  if (!subject) throw new MfaError('UNAUTHENTICATED');
  return subject;
}
