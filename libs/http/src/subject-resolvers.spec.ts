import { defaultResolveSubject, jwtSidSubject, passportSessionSubject } from './subject-resolvers';

describe('subject resolvers', () => {
  const headers = { 'user-agent': 'jest' };

  it('passport + express-session: req.user, keyed by a reference the session keeps in its data', () => {
    const req = {
      user: { id: 7, email: 'a@example.com', roles: ['admin'] },
      sessionID: 'sess-1',
      session: {} as Record<string, unknown>,
      ip: '10.0.0.1',
      headers,
    };
    const subject = passportSessionSubject(req) as { sessionId: string };
    expect(subject).toEqual({
      userId: '7',
      sessionId: expect.stringMatching(/^s\.[A-Za-z0-9_-]{43}$/),
      groups: ['admin'],
      accountName: 'a@example.com',
      ip: '10.0.0.1',
      userAgent: 'jest',
    });
    expect(req.session.mfaSessionRef).toBe(subject.sessionId);
    // A renewed id keeps the data, and with it the reference; parallel first requests agree on it.
    expect((passportSessionSubject({ ...req, sessionID: 'sess-2' }) as { sessionId: string }).sessionId).toBe(
      subject.sessionId,
    );
    expect((passportSessionSubject({ ...req, session: {} }) as { sessionId: string }).sessionId).toBe(
      subject.sessionId,
    );
    expect(passportSessionSubject({ ...req, user: undefined })).toBeNull();
    expect(passportSessionSubject({ ...req, session: undefined })).toBeNull();
  });

  it('JWT: sub is the user and sid the session', () => {
    const req = { user: { sub: 'u-1', sid: 'jwt-session', groups: ['staff'] }, headers };
    expect(jwtSidSubject(req)).toMatchObject({ userId: 'u-1', sessionId: 'jwt-session', groups: ['staff'] });
    expect(jwtSidSubject({ user: { sub: 'u-1' }, headers })).toBeNull(); // no sid: no MFA session to key on
  });

  it('the default prefers a token sid over a cookie session id', () => {
    const req = { user: { sub: 'u-1', sid: 'jwt-session' }, sessionID: 'throwaway', session: {}, headers };
    expect(defaultResolveSubject(req)).toMatchObject({ sessionId: 'jwt-session' });
    expect(defaultResolveSubject({ headers })).toBeNull();
  });
});
