import { errorFromResponse, readJson } from './client.errors.js';
import type { OnChallenge, ResolvedClientOptions } from './client.options.js';
import { routeRequest, type RouteParams } from './client.routes.js';
import type { ChallengeView, MfaRouteKey, MfaRouteTypes } from './client.types.js';

/** `fetch`'s init, plus an `onChallenge` for this request only (e.g. a page's own dialog). */
export type MfaFetchInit = RequestInit & { onChallenge?: OnChallenge };

/** More than a policy's layers and a chain's steps ever stack up: the bound on prompts for one request. */
const MAX_CHALLENGES_PER_REQUEST = 5;

export interface StepUpContext {
  signal?: AbortSignal;
  onChallenge?: OnChallenge;
}

/** Prompts for one challenge and verifies the answer, or throws (cancelled, wrong code, locked). */
export type MeetChallenge = (
  challenge: ChallengeView,
  context: StepUpContext & { onChallenge: OnChallenge },
) => Promise<void>;

export interface CallOptions {
  signal?: AbortSignal;
  /** Off for the challenge routes themselves: they never ask for a step-up, and must not recurse into one. */
  stepUp?: boolean;
  query?: Record<string, string | undefined>;
}

/**
 * Every request the client makes goes through here: the app's own (`fetch`, answered as
 * they come) and MFA's routes (`call`, JSON in, typed error or JSON out). Both meet a
 * `401 MFA_REQUIRED` the same way: prompt, verify, then send the request again.
 */
export class MfaTransport {
  constructor(
    private readonly options: ResolvedClientOptions,
    private readonly meet: MeetChallenge,
  ) {}

  async fetch(input: string | URL | Request, init: MfaFetchInit = {}): Promise<Response> {
    const { onChallenge, ...requestInit } = init;
    const target = typeof input === 'string' ? this.appUrl(input) : input;
    // A Request's body can be read once: every send, the retry included, takes its own copy.
    const template = isRequest(target) ? target.clone() : undefined;
    // The app's headers (a bearer token) and credentials go to the app's own origin only: a
    // third-party URL fetched through the client must not receive them.
    const own = this.isOwnOrigin(isRequest(target) ? target.url : String(target));
    const send = async () => {
      const request = template ? template.clone() : target;
      const headers = new Headers(isRequest(request) ? request.headers : undefined);
      new Headers(requestInit.headers).forEach((value, name) => headers.set(name, value));
      if (own)
        for (const [name, value] of Object.entries(await this.options.headers()))
          if (!headers.has(name)) headers.set(name, value);
      const fallback = own && !isRequest(request) ? this.options.credentials : undefined;
      const credentials = requestInit.credentials ?? fallback;
      return this.options.fetch(request, { ...requestInit, headers, ...(credentials ? { credentials } : {}) });
    };
    // A stream can be sent once: such a request cannot be retried after a step-up, so its
    // 401 MFA_REQUIRED comes back as it is rather than spending a verification on nothing.
    if (isStream(requestInit.body)) return send();
    return this.stepUp(send, { signal: requestInit.signal ?? undefined, onChallenge: own ? onChallenge : undefined });
  }

  async call<K extends MfaRouteKey>(
    key: K,
    params: RouteParams<K>,
    body?: MfaRouteTypes[K]['body'],
    options: CallOptions = {},
  ): Promise<MfaRouteTypes[K]['result']> {
    const { method, path } = routeRequest(key, params);
    const url = this.mfaUrl(path, options.query);
    const json = body === undefined ? undefined : JSON.stringify(body);
    const send = async () => {
      const headers = new Headers(await this.options.headers());
      headers.set('accept', 'application/json');
      if (json !== undefined) headers.set('content-type', 'application/json');
      const { credentials, fetch } = this.options;
      return fetch(url, { method, headers, credentials, body: json, signal: options.signal });
    };
    const response = options.stepUp === false ? await send() : await this.stepUp(send, { signal: options.signal });
    if (!response.ok) throw await errorFromResponse(response);
    const result = await readJson(response);
    const session = result && typeof result === 'object' ? (result as { session?: unknown }).session : undefined;
    if (session && typeof session === 'object')
      await this.options.onSessionRenewed?.(session as Record<string, unknown>);
    return result as MfaRouteTypes[K]['result'];
  }

  /**
   * Sends, and while the answer is `401 MFA_REQUIRED` and someone can answer it, meets the
   * challenge and sends once more. A request may meet several in turn (a policy's layers, a
   * chain's steps), each a new challenge; one it already answered coming back means the
   * verification did not take, and that answer is handed back rather than prompting in a loop.
   */
  private async stepUp(send: () => Promise<Response>, context: StepUpContext): Promise<Response> {
    const onChallenge = context.onChallenge ?? this.options.onChallenge;
    let response = await send();
    const answered = new Set<string>();
    for (;;) {
      const challenge = await challengeOf(response);
      if (!challenge || !onChallenge) return response;
      if (answered.has(challenge.id) || answered.size >= MAX_CHALLENGES_PER_REQUEST) return response;
      await response.body?.cancel().catch(() => undefined);
      await this.meet(challenge, { ...context, onChallenge });
      answered.add(challenge.id);
      response = await send();
    }
  }

  private mfaUrl(path: string, query: CallOptions['query'] = {}): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, value);
    const qs = search.toString();
    return `${this.options.baseUrl}${this.options.routePrefix}${path}${qs ? `?${qs}` : ''}`;
  }

  /** Same origin as `baseUrl` (or the page, when `baseUrl` is empty); a relative path always is. */
  private isOwnOrigin(url: string): boolean {
    if (!/^([a-z][a-z\d+.-]*:)?\/\//i.test(url)) return true;
    const page = (globalThis as { location?: { href?: string } }).location?.href;
    const base = this.options.baseUrl || page;
    if (!base) return false;
    try {
      return new URL(url, base).origin === new URL(base).origin;
    } catch {
      return false;
    }
  }

  /** A path below `baseUrl` (`/payments` → `https://app.example/payments`); absolute URLs stay as they are. */
  private appUrl(input: string): string {
    const base = this.options.baseUrl;
    if (!base || /^[a-z][a-z\d+.-]*:/i.test(input)) return input;
    return input.startsWith('/') ? `${base}${input}` : `${base}/${input}`;
  }
}

function isStream(body: unknown): boolean {
  return typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;
}

function isRequest(value: unknown): value is Request {
  return typeof Request !== 'undefined' && value instanceof Request;
}

/** The challenge of a `401 MFA_REQUIRED`, read from a copy so the answer stays unread for its caller. */
async function challengeOf(response: Response): Promise<ChallengeView | undefined> {
  if (response.status !== 401) return undefined;
  const body = await readJson(response.clone());
  if (!body || typeof body !== 'object') return undefined;
  const { code, challenge } = body as { code?: unknown; challenge?: ChallengeView };
  const wellFormed = typeof challenge?.id === 'string' && Array.isArray(challenge.requirement?.steps);
  return code === 'MFA_REQUIRED' && wellFormed ? challenge : undefined;
}
