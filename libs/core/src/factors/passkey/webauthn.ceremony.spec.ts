import { challengeOf } from './webauthn.ceremony';

const clientData = (data: object) => ({
  response: { clientDataJSON: Buffer.from(JSON.stringify(data)).toString('base64url') },
});

describe('challengeOf', () => {
  it('reads the challenge a response answers', () => {
    expect(challengeOf(clientData({ type: 'webauthn.get', challenge: 'abc', origin: 'https://x' }))).toBe('abc');
  });

  it('refuses a ceremony run in a cross-origin frame, where a framing page could collect the signature', () => {
    expect(challengeOf(clientData({ type: 'webauthn.get', challenge: 'abc', crossOrigin: true }))).toBeNull();
  });

  it.each([
    ['not base64 JSON', { response: { clientDataJSON: '!!!' } }],
    ['no clientDataJSON', { response: {} }],
    ['a number for clientDataJSON', { response: { clientDataJSON: 42 } }],
    ['JSON null', clientData(null as never)],
    ['a non-string challenge', clientData({ challenge: { toString: 1 } })],
    ['an oversized challenge', clientData({ challenge: 'x'.repeat(200) })],
  ])('answers null, never throws, for %s', (_label, response) => {
    expect(challengeOf(response as never)).toBeNull();
  });
});
