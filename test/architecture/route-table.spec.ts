// Invariant: MFA_ROUTES is the one list of MFA's endpoints. The Express router mounts it, the
// hand-written Nest controllers declare exactly its methods, paths and statuses, and its csrf
// and reauth columns say what the endpoints really check.
import { CanActivate, RequestMethod, Type } from '@nestjs/common';
import {
  GUARDS_METADATA,
  HEADERS_METADATA,
  HTTP_CODE_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
} from '@nestjs/common/constants';
import type { RequestHandler } from 'express';
import { isMfaError } from '../../libs/core/src';
import { MFA_ROUTES, MfaHttpApi } from '../../libs/http/src';
import type { MfaHttpOptions, MfaRoute } from '../../libs/http/src';
import { createMfaRouter } from '../../libs/express/src/mfa-router';
import { createMfaControllers } from '../../libs/nest/src/controllers/create-mfa-controllers';

const line = (method: string, path: string, status?: number) =>
  [method, path, status].filter((p) => p !== undefined).join(' ');
const table = (r: MfaRoute) => line(r.method, `/mfa${r.path}`, r.status);

interface NestRoute {
  line: string;
  guarded: boolean;
  noStore: boolean;
}

/** Read back from the decorators' metadata, as Nest's router explorer reads it at boot. */
function nestRoutes(controllers: Type[]): NestRoute[] {
  return controllers.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller));
    const guarded = (Reflect.getMetadata(GUARDS_METADATA, controller) ?? []).length > 0;
    const names = Object.getOwnPropertyNames(controller.prototype).filter((name) => name !== 'constructor');
    return names.flatMap((name) => {
      const handler = controller.prototype[name];
      const path = typeof handler === 'function' ? Reflect.getMetadata(PATH_METADATA, handler) : undefined;
      if (path === undefined) return [];
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      // Nest's default when no @HttpCode: 201 for POST, 200 for the rest.
      const status = Reflect.getMetadata(HTTP_CODE_METADATA, handler) ?? (method === 'POST' ? 201 : 200);
      const headers: Array<{ name: string; value: string }> = Reflect.getMetadata(HEADERS_METADATA, handler) ?? [];
      const noStore = headers.some((h) => h.name.toLowerCase() === 'cache-control' && h.value === 'no-store');
      return [{ line: line(method, `/${base}/${String(path)}`.replace(/\/+/g, '/'), status), guarded, noStore }];
    });
  });
}

/** The routes (and the host's auth middleware) in the order the Express router tries them. */
function expressStack(express: typeof import('express'), authenticate: RequestHandler): string[] {
  const outer = createMfaRouter(express, 'mfa', {} as MfaHttpApi, [authenticate]) as unknown as {
    stack: Array<{ handle: { stack: Layer[] } }>;
  };
  return outer.stack[0].handle.stack.flatMap((layer) => {
    if (layer.handle === authenticate) return ['<authenticate>'];
    if (!layer.route) return [];
    return Object.keys(layer.route.methods)
      .filter((m) => m !== '_all')
      .map((m) => line(m.toUpperCase(), `/mfa${layer.route!.path}`));
  });
}
interface Layer {
  handle: unknown;
  route?: { path: string; methods: Record<string, boolean> };
}

const DOOR_GUARD: CanActivate = { canActivate: () => true };
const isDelivery = (r: MfaRoute) => r.audience === 'delivery-report';

describe('the route table', () => {
  it('names each method and path once', () => {
    const keys = MFA_ROUTES.map((r) => line(r.method, r.path));
    expect(new Set(keys).size).toBe(keys.length);
  });

  describe('the Nest controllers', () => {
    const routes = nestRoutes(createMfaControllers('mfa', [DOOR_GUARD]));

    it('declare exactly its methods, paths and statuses', () => {
      expect(routes.map((r) => r.line).sort()).toEqual(MFA_ROUTES.map(table).sort());
    });

    it('put the host auth guards on every route but the delivery reports', () => {
      expect(
        routes
          .filter((r) => !r.guarded)
          .map((r) => r.line)
          .sort(),
      ).toEqual(MFA_ROUTES.filter(isDelivery).map(table).sort());
    });

    it('mark every answer but the delivery reports no-store, as the Express router does', () => {
      expect(
        routes
          .filter((r) => !r.noStore)
          .map((r) => r.line)
          .sort(),
      ).toEqual(MFA_ROUTES.filter(isDelivery).map(table).sort());
    });
  });

  describe.each([
    ['Express 5', require('express')],
    ['Express 4', require('express4')],
  ])('the %s router', (_name, express: typeof import('express')) => {
    const stack = expressStack(express, (_req, _res, next) => next());

    it('mounts exactly its routes', () => {
      expect(stack.filter((l) => l !== '<authenticate>').sort()).toEqual(
        MFA_ROUTES.map((r) => line(r.method, `/mfa${r.path}`)).sort(),
      );
    });

    it('runs the host authentication before every route but the delivery reports', () => {
      const before = stack.slice(0, stack.indexOf('<authenticate>'));
      expect(before.sort()).toEqual(
        MFA_ROUTES.filter(isDelivery)
          .map((r) => line(r.method, `/mfa${r.path}`))
          .sort(),
      );
    });
  });
});

/** Any engine call ends the request here: these tests are about what happens before it. */
const ENGINE_REACHED = new Error('engine reached');

function fakeEngine(calls: Array<{ name: string; args: unknown[] }>) {
  return new Proxy(
    {},
    {
      // Not a thenable, or awaiting the engine would never settle.
      get: (_t, name) =>
        name === 'then'
          ? undefined
          : (...args: unknown[]) => (calls.push({ name: String(name), args }), Promise.reject(ENGINE_REACHED)),
    },
  );
}

function request(route: MfaRoute, headers: Record<string, string>) {
  const params = Object.fromEntries(
    [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => [name, name === 'version' ? '1' : `${name}-1`]),
  );
  return { method: route.method, headers: { host: 'app.example', ...headers }, params, body: {}, query: {} };
}

async function refusal(run: Promise<unknown>): Promise<string> {
  return run.then(
    () => 'answered',
    (err: unknown) => (err === ENGINE_REACHED ? 'engine reached' : isMfaError(err) ? err.code : String(err)),
  );
}

describe.each(MFA_ROUTES.map((r) => [line(r.method, r.path), r]))('%s', (_name, route: MfaRoute) => {
  it(`${route.csrf ? 'refuses' : 'takes'} a cross-site request${route.csrf ? ' before resolving the caller' : ''}`, async () => {
    const resolved: unknown[] = [];
    const options: MfaHttpOptions = {
      resolveSubject: (req) => (resolved.push(req), { userId: 'u-1', sessionId: 's-1' }),
    };
    const api = new MfaHttpApi(async () => fakeEngine([]) as never, options);
    const code = await refusal(
      route.handler(api, request(route, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })),
    );
    if (route.csrf) {
      expect(code).toBe('CSRF_REJECTED');
      expect(resolved).toEqual([]);
    } else {
      expect(code).not.toBe('CSRF_REJECTED');
    }
  });

  if (route.audience === 'admin' || route.audience === 'policy') {
    it(`needs the admin's own ${route.reauth === 'fresh' ? 'fresh ' : ''}verification`, async () => {
      const calls: Array<{ name: string; args: unknown[] }> = [];
      const api = new MfaHttpApi(async () => fakeEngine(calls) as never, {
        resolveSubject: () => ({ userId: 'u-admin', sessionId: 's-1' }),
        authorizeAdmin: async () => true,
      });
      expect(await refusal(route.handler(api, request(route, {})))).toBe('engine reached');
      expect(calls.map((c) => c.name)).toEqual(['enforce']);
      const step = route.reauth === 'fresh' ? { factors: 'any', maxAge: 300 } : { factors: 'any' };
      expect(calls[0].args[1]).toEqual({ service: 'mfa', operation: 'admin', requirement: { steps: [step] } });
      expect(['verified', 'fresh']).toContain(route.reauth);
    });
  }
});
