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

  it('builds no label for a route it has seen, and remembers a bounded number per target', () => {
    const own = { service: 'wiki' };
    const req = (i: number) => ({ method: 'GET', route: { path: `/wiki/${i}` } });
    expect(withRouteLabel(req(0), own)).toBe(withRouteLabel(req(0), own));
    for (let i = 1; i < 300; i++) withRouteLabel(req(i), own);
    expect(withRouteLabel(req(255), own)).toBe(withRouteLabel(req(255), own));
    const past = withRouteLabel(req(299), own);
    expect(past).toEqual({ service: 'wiki', route: 'GET /wiki/299' });
    expect(withRouteLabel(req(299), own)).not.toBe(past); // past the bound: labelled, not kept
  });

  it('leaves the target as it is before any route matched, or when the host labelled it', () => {
    expect(withRouteLabel({ method: 'GET' }, target)).toBe(target);
    const own = { ...target, route: 'transfers' };
    expect(withRouteLabel({ method: 'GET', route: { path: '/x' } }, own)).toBe(own);
  });
});
