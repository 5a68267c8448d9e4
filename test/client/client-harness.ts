// The browser client against the real fixture app on a loopback port: each "browser" is a
// cookie jar around Node's own fetch, so the client runs exactly as it ships (no supertest).
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMfaClient, type FetchLike, type MfaClient, type MfaClientOptions } from '../../src/client';
import type { MfaOptions } from '../../libs/setup/src';
import { BACKENDS } from '../support/backends';
import { Adapter, startTestApp, TestApp, totpAt } from '../support/test-app';

const SQLITE = BACKENDS[0];

export interface ClientHarness {
  t: TestApp;
  baseUrl: string;
  /** Signs `username` in, in a new browser (an empty cookie jar). */
  browser(username?: string): Promise<Browser>;
  close(): Promise<void>;
}

export interface Browser {
  fetch: RecordingFetch;
  /** A client in this browser; `baseUrl` and `fetch` are set. */
  client(options?: MfaClientOptions): MfaClient;
}

export type RecordingFetch = FetchLike & {
  /** `METHOD path` of every request sent, in order. */
  sent: string[];
};

export async function startClientHarness(
  adapter: Adapter = 'nest',
  extra: Partial<MfaOptions> = {},
): Promise<ClientHarness> {
  const t = await startTestApp(SQLITE, adapter, extra);
  const ownServer = adapter === 'express5' || adapter === 'express4';
  // Nest's app owns its server (app.close() closes it); an Express app is only a listener.
  const server: Server = ownServer ? createServer(t.http as RequestListener) : (t.http as Server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const harness: ClientHarness = {
    t,
    baseUrl,
    async browser(username = 'alice') {
      const fetch = cookieJarFetch();
      const login = await fetch(`${baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: `${username}-password` }),
      });
      if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
      fetch.sent.length = 0;
      return { fetch, client: (options = {}) => createMfaClient({ baseUrl, fetch, ...options }) };
    },
    async close() {
      server.closeAllConnections();
      if (ownServer) await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
  return harness;
}

/** A browser's cookie handling, reduced to what the fixture sets: name=value, removed by Max-Age=0. */
export function cookieJarFetch(): RecordingFetch {
  const jar = new Map<string, string>();
  const sent: string[] = [];
  const jarFetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    sent.push(`${init.method ?? (input instanceof Request ? input.method : 'GET')} ${url.pathname}`);
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init.headers).forEach((value, name) => headers.set(name, value));
    if (jar.size) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a));
      if (expired) jar.delete(name);
      else jar.set(name, pair.slice(pair.indexOf('=') + 1).trim());
    }
    return response;
  };
  return Object.assign(jarFetch, { sent });
}

/** Enrolls TOTP through the client; leaves the clock on the next time step, so the next code is fresh. */
export async function enrollTotp(h: ClientHarness, mfa: MfaClient): Promise<{ secret: string; backupCodes: string[] }> {
  const start = await mfa.enrollments.startTotp();
  const confirmed = await mfa.enrollments.confirmTotp(start.enrollmentId, totpAt(start.secret, h.t.clock));
  h.t.clock.advance(30);
  return { secret: start.secret, backupCodes: confirmed.backupCodes ?? [] };
}
