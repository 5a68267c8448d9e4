import { ExecutionContext, HttpException } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { MfaError, MfaTarget } from '../../core/src';
import { MfaHttpApi } from '../../http/src';
import { MfaService } from './decorators/mfa-service.decorator';
import { RequireMfa } from './decorators/require-mfa.decorator';
import { SkipMfa } from './decorators/skip-mfa.decorator';
import { MfaGuard } from './mfa.guard';

/** The slice of MfaHttpApi the guard calls, answering as told and recording what it saw. */
class FakeApi {
  readonly seen: MfaTarget[] = [];
  answer: () => Promise<void> = async () => undefined;
  guard(_req: unknown, target: MfaTarget): Promise<void> {
    this.seen.push(target);
    return this.answer();
  }
}

@MfaService('billing')
@RequireMfa({ factors: ['totp'] })
class BillingController {
  list() {}
  @SkipMfa() health() {}
}

function contextFor(handler: (...args: never[]) => unknown, type = 'http', req: object = {}): ExecutionContext {
  const res = { setHeader: () => undefined };
  return {
    getType: () => type,
    getClass: () => BillingController,
    getHandler: () => handler,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
}

describe('MfaGuard', () => {
  let api: FakeApi;
  let guard: MfaGuard;
  beforeEach(() => {
    api = new FakeApi();
    guard = new MfaGuard(new Reflector(), { get: () => api as unknown as MfaHttpApi } as unknown as ModuleRef);
  });

  it('reads the class mapping and lets a handler setting beat the class one, once per handler', async () => {
    await guard.canActivate(contextFor(BillingController.prototype.list));
    await guard.canActivate(contextFor(BillingController.prototype.health));
    expect(api.seen[0]).toEqual({ service: 'billing', requirement: { steps: [{ factors: ['totp'] }] } });
    expect(api.seen[1]).toEqual({ service: 'billing', requirement: { steps: [] } });
    await guard.canActivate(contextFor(BillingController.prototype.list));
    expect(api.seen[2]).toBe(api.seen[0]); // metadata is fixed at boot: read once
  });

  it('never checks one request twice, whoever placed the guard', async () => {
    const req = {};
    await guard.canActivate(contextFor(BillingController.prototype.list, 'http', req));
    await guard.enforce(contextFor(BillingController.prototype.list, 'http', req), false);
    expect(api.seen).toHaveLength(1);
    expect(MfaGuard.enforced(req)).toBe(true);
  });

  it('checks every handler of a GraphQL operation or socket, which share one request object', async () => {
    const shared = {};
    await guard.canActivate(contextFor(BillingController.prototype.health, 'graphql', shared));
    await guard.canActivate(contextFor(BillingController.prototype.list, 'graphql', shared));
    expect(api.seen).toHaveLength(2);
    expect(MfaGuard.enforced(shared)).toBe(false);
  });

  it('defers an unknown user to the enforcement after the last guard, on HTTP only', async () => {
    api.answer = () => Promise.reject(new MfaError('UNAUTHENTICATED'));
    const req = {};
    await expect(guard.canActivate(contextFor(BillingController.prototype.list, 'http', req))).resolves.toBe(true);
    expect(MfaGuard.enforced(req)).toBe(false); // not passed: the module's interceptor checks again
    await expect(
      guard.enforce(contextFor(BillingController.prototype.list, 'http', req), false),
    ).rejects.toBeInstanceOf(HttpException);
    await expect(guard.canActivate(contextFor(BillingController.prototype.list, 'rpc'))).rejects.toBeInstanceOf(
      HttpException,
    );
  });

  it('throws a coded exception, never returns false, and fails closed on anything unknown', async () => {
    api.answer = () => Promise.reject(new MfaError('MFA_DENIED', { ruleId: 'embargo' }));
    const denied = await guard
      .canActivate(contextFor(BillingController.prototype.list))
      .catch((err: HttpException) => err);
    expect((denied as HttpException).getStatus()).toBe(403);
    expect((denied as HttpException).getResponse()).toMatchObject({ code: 'MFA_DENIED', ruleId: 'embargo' });
    api.answer = () => Promise.reject(new TypeError('store exploded'));
    const broken = await guard
      .canActivate(contextFor(BillingController.prototype.list))
      .catch((err: HttpException) => err);
    expect((broken as HttpException).getResponse()).toMatchObject({ statusCode: 503, code: 'MFA_UNAVAILABLE' });
  });

  it('fails closed (503, the fix in the log) when MfaModule is missing, never passing the request', async () => {
    const orphan = new MfaGuard(new Reflector(), {
      get: () => {
        throw new Error('not found');
      },
    } as unknown as ModuleRef);
    const refused = await orphan
      .canActivate(contextFor(BillingController.prototype.list))
      .catch((err: HttpException) => err);
    expect((refused as HttpException).getResponse()).toMatchObject({ code: 'MFA_UNAVAILABLE' });
  });
});
