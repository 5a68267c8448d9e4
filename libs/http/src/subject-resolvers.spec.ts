import { defaultResolveSubject, jwtSidSubject, passportSessionSubject } from './subject-resolvers';

describe('subject resolvers', () => {
  const headers = { 'user-agent': 'jest' };

  it('passport + express-session: req.user and req.sessionID', () => {
    const req = {
      user: { id: 7, email: 'a@example.com', roles: ['admin'] },
      sessionID: 'sess-1',
      session: {},
      ip: '10.0.0.1',
      headers,
    };
    expect(passportSessionSubject(req)).toEqual({
      userId: '7',
      sessionId: 'sess-1',
      groups: ['admin'],
      accountName: 'a@example.com',
      ip: '10.0.0.1',
      userAgent: 'jest',
    });
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
