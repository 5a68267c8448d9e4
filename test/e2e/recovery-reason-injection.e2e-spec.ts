// A recovery ticket's reason is one bounded line (the factor-label rule, up to 512 characters):
// no newline, NUL, control or bidi character ever reaches the audit trail or a help-desk view.
import { MATRIX, TestApp, signInEnrolled, startTestApp } from '../support/test-app';

const FORGED = [
  ['a newline that forges an audit line', 'checked\n{"type":"recovery.ticket_refused"}'],
  ['a carriage return', 'checked\rby nobody'],
  ['a NUL', 'checked\u0000'],
  ['a C1 control', 'checked\u0085'],
  ['a right-to-left override', 'ticket #\u202E1174'],
  ['a bidi isolate', '\u2066ticket\u2069'],
  ['a line separator', 'checked\u2028by nobody'],
  ['nothing but blanks', '   '],
  ['513 characters', 'x'.repeat(513)],
];

describe.each(MATRIX)('recovery-ticket reasons on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp(backend, adapter)));
  afterEach(() => t.close());

  it('refuses a reason with line breaks, controls or bidi characters, or too long, and issues nothing', async () => {
    const { agent: admin } = await signInEnrolled(t, 'alice');
    for (const [name, reason] of FORGED) {
      const res = await admin.post('/mfa/admin/users/u-bob/recovery-tickets').send({ reason });
      expect({ name, status: res.status, code: res.body.code }).toEqual({
        name,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    }
    expect(t.audit.ofType('recovery.ticket_issued')).toEqual([]);
  });

  it('keeps a plain reason, trimmed, up to 512 characters', async () => {
    const { agent: admin } = await signInEnrolled(t, 'alice');
    await admin
      .post('/mfa/admin/users/u-bob/recovery-tickets')
      .send({ reason: '  identity checked by video call, ticket #4711\t' })
      .expect(201);
    await admin
      .post('/mfa/admin/users/u-bob/recovery-tickets')
      .send({ reason: 'é'.repeat(512) })
      .expect(201);
    expect(t.audit.ofType('recovery.ticket_issued').map((e) => e.reason)).toEqual([
      'identity checked by video call, ticket #4711',
      expect.stringMatching(/^é+$/),
    ]);
  });
});
