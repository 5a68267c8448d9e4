// Whatever a JSON or query-string parser hands over, validateBody resolves or refuses with a
// client error (400 / 413): never a TypeError or RangeError that would read as an outage.
import fc from 'fast-check';
import { isMfaError } from '../../core/src';
import { AuditQueryDto } from './dto/audit-query.dto';
import { CreatePolicyVersionDto, ExplainDto } from './dto/policy-admin.dto';
import { VerifyChallengeDto } from './dto/verify-challenge.dto';
import { validateBody } from './validate-body';

const DTOS = [VerifyChallengeDto, ExplainDto, AuditQueryDto];
const nested = (depth: number) => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

async function outcome(dto: new () => object, body: unknown): Promise<string> {
  try {
    await validateBody(dto, body);
    return 'accepted';
  } catch (err) {
    if (!isMfaError(err)) throw err;
    return err.code;
  }
}

describe('validateBody', () => {
  it.each([
    ['{"x":{"constructor":1}}'],
    ['{"code":{"constructor":{}}}'],
    ['{"__proto__":{"method":"totp"}}'],
    ['{"userId":"u","target":{"requirement":{"toString":1}}}'],
    ['{"method":"totp","code":"1","constructor":{"prototype":{}}}'],
  ])('refuses a prototype key at any depth: %s', async (text) => {
    for (const dto of DTOS) expect(await outcome(dto, JSON.parse(text))).toBe('VALIDATION_FAILED');
  });

  it('refuses nesting deeper than 32 levels before class-transformer recurses into it', async () => {
    expect(await outcome(CreatePolicyVersionDto, { document: nested(31) })).toBe('accepted'); // 32 levels with the body itself
    expect(await outcome(CreatePolicyVersionDto, { document: nested(32) })).toBe('VALIDATION_FAILED');
    expect(await outcome(VerifyChallengeDto, { method: 'totp', code: nested(2_000) })).toBe('VALIDATION_FAILED');
    expect(
      await outcome(VerifyChallengeDto, {
        method: 'totp',
        code: JSON.parse(`${'['.repeat(5_000)}${']'.repeat(5_000)}`),
      }),
    ).toBe('VALIDATION_FAILED');
  });

  it('refuses NUL characters and more than 64 KiB of content', async () => {
    expect(await outcome(VerifyChallengeDto, { method: 'totp', code: '123456\u0000' })).toBe('VALIDATION_FAILED');
    expect(
      await outcome(VerifyChallengeDto, { method: 'totp', code: '123456', enrollmentId: 'x'.repeat(70_000) }),
    ).toBe('PAYLOAD_TOO_LARGE');
    expect(await outcome(VerifyChallengeDto, { method: 'totp', code: '123456' })).toBe('accepted');
  });

  it('never throws anything but an MfaError, for any JSON value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...DTOS), fc.jsonValue({ maxDepth: 6 }), async (dto, value) => {
        await outcome(dto, value);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
