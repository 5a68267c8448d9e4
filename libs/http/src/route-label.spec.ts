import { withRouteLabel } from './route-label';

describe('withRouteLabel', () => {
  const target = { service: 'payments' };

  it("labels a target with the matched route's method and pattern, never the concrete path", () => {
    const req = {
      method: 'post',
      route: { path: '/payments/:id/transfer' },
      baseUrl: '/users/42',
      url: '/payments/7/transfer',
    };
    expect(withRouteLabel(req, target)).toEqual({ service: 'payments', route: 'POST /payments/:id/transfer' });
    expect(withRouteLabel(req, target)).toBe(withRouteLabel(req, target)); // no allocation once seen
    expect(target).toEqual({ service: 'payments' });
  });

  it('leaves the target as it is before any route matched, or when the host labelled it', () => {
    expect(withRouteLabel({ method: 'GET' }, target)).toBe(target);
    const own = { ...target, route: 'transfers' };
    expect(withRouteLabel({ method: 'GET', route: { path: '/x' } }, own)).toBe(own);
  });
});
