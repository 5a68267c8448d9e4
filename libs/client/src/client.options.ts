import type {
  AuthenticationResponseJSON,
  ChallengeView,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '../../core/src';
import type { MfaClientError } from './client.errors.js';
import type { MfaClient } from './mfa-client.js';

/** `fetch` as browsers and Node 18+ have it. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * What `onChallenge` answers with: a code from the method the user picked (`enrollmentId`
 * names which app, phone or address when there are several), or `webauthn`, for which the
 * client runs the passkey prompt itself (or sends the `response` you got yourself).
 * `rememberDevice`: trust this browser afterwards, where the policy allows it.
 */
export type ChallengeAnswer =
  | {
      method: 'totp' | 'sms' | 'email' | 'backup_code';
      code: string;
      enrollmentId?: string;
      rememberDevice?: boolean;
    }
  | { method: 'webauthn'; rememberDevice?: boolean; response?: AuthenticationResponseJSON };

export interface ChallengeHelpers {
  /** The client, e.g. to send the SMS code (`client.challenges.send`) before asking for it. */
  client: MfaClient;
  /** The original request's signal. */
  signal?: AbortSignal;
  /** 1 on the first prompt for this challenge; higher only with `maxPrompts`, after a wrong code. */
  attempt: number;
  /** Why the previous answer was refused (an `MfaInvalidCodeError`), on a re-prompt. */
  error?: MfaClientError;
}

/** Shows the app's own UI and resolves to the user's answer, or null when they cancel. */
export type OnChallenge = (
  challenge: ChallengeView,
  helpers: ChallengeHelpers,
) => Promise<ChallengeAnswer | null | undefined> | ChallengeAnswer | null | undefined;

/** The two calls of `@simplewebauthn/browser` the client makes; replace them to run passkeys elsewhere (tests, native shells). */
export interface WebAuthnCeremonies {
  startRegistration(options: {
    optionsJSON: PublicKeyCredentialCreationOptionsJSON;
  }): Promise<RegistrationResponseJSON>;
  startAuthentication(options: {
    optionsJSON: PublicKeyCredentialRequestOptionsJSON;
  }): Promise<AuthenticationResponseJSON>;
}

export type ClientHeaders = Record<string, string>;

export interface MfaClientOptions {
  /**
   * Where the app is; `mfa.fetch` resolves relative paths against it. In a browser on the
   * app's own origin leave it out; Node needs one (`http://localhost:3000`).
   * @default '' (relative requests)
   */
  baseUrl?: string;
  /** The server's `routePrefix`. @default '/mfa' */
  routePrefix?: string;
  /** @default globalThis.fetch, read at each request */
  fetch?: FetchLike;
  /** @default 'same-origin' ('include' when the API is on another origin, with CORS allowing credentials) */
  credentials?: RequestInit['credentials'];
  /** Sent with every request; a function is called per request, so a token app can hand over its current token. */
  headers?: ClientHeaders | (() => ClientHeaders | Promise<ClientHeaders>);
  /** Asked on `401 MFA_REQUIRED`; without it such answers are handed back (`mfa.fetch`) or thrown (helpers). */
  onChallenge?: OnChallenge;
  /**
   * How many times `onChallenge` is asked for one challenge: after a wrong code it is asked
   * again with `helpers.error`, up to this many times; then the `MfaInvalidCodeError` is thrown.
   * The server's lockout still counts every try.
   * @default 1
   */
  maxPrompts?: number;
  /** Replaces `@simplewebauthn/browser`, which is otherwise imported on the first passkey prompt. */
  webauthn?: Partial<WebAuthnCeremonies>;
  /** Token apps: a verification's answer carries `session` (your `rotateSession`'s response); store the new token here. */
  onSessionRenewed?: (session: Record<string, unknown>) => void | Promise<void>;
  /** The clock `countdown` reads. @default Date.now */
  now?: () => number;
}

export interface ResolvedClientOptions {
  baseUrl: string;
  routePrefix: string;
  fetch: FetchLike;
  credentials: RequestInit['credentials'];
  headers: () => Promise<ClientHeaders>;
  onChallenge?: OnChallenge;
  maxPrompts: number;
  webauthn: Partial<WebAuthnCeremonies>;
  onSessionRenewed?: (session: Record<string, unknown>) => void | Promise<void>;
  now: () => number;
}

/** The options merged with their defaults, once, when the client is made. */
export function resolveClientOptions(options: MfaClientOptions): ResolvedClientOptions {
  const headers = options.headers;
  const prefix = (options.routePrefix ?? '/mfa').replace(/^\/*/, '/').replace(/\/+$/, '');
  return {
    baseUrl: (options.baseUrl ?? '').replace(/\/+$/, ''),
    routePrefix: prefix,
    // Called through globalThis, never stored bare: browsers refuse a `fetch` invoked on another `this`.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    credentials: options.credentials ?? 'same-origin',
    headers: async () => ({ ...(typeof headers === 'function' ? await headers() : headers) }),
    onChallenge: options.onChallenge,
    maxPrompts: Math.max(1, Math.floor(options.maxPrompts ?? 1)),
    webauthn: options.webauthn ?? {},
    onSessionRenewed: options.onSessionRenewed,
    now: options.now ?? (() => Date.now()),
  };
}
