import type {
  DeviceTrustSignal,
  GeoIpResolver,
  LocationResolver,
  MachinePrincipalSignal,
  MfaCoreOptions,
  MfaSubject,
  RiskSignal,
} from '../../core/src';
import type { MfaRequest, ResolveSubject } from './subject-resolvers';
import type { RotateSession } from './session-renewal';
import type { AppSessionRevoker } from './other-sessions.offer';

/**
 * The half of the options the HTTP contract reads: who the subject is, request signals,
 * cookies, CSRF, session hooks. Where the engine's parts come from is `MfaSetupOptions`.
 */
export interface MfaHttpOptions extends Pick<MfaCoreOptions, 'reauthMaxAge'> {
  /**
   * Maps a request to the signed-in subject, or null when nobody is signed in.
   * @default a JWT `sid` claim on req.user, else passport with express-session
   */
  resolveSubject?: ResolveSubject;
  /**
   * May this signed-in user call the `/mfa/admin/*` endpoints? Admin rights belong to
   * your app. @default nobody
   */
  authorizeAdmin?: (req: MfaRequest, subject: MfaSubject) => boolean | Promise<boolean>;
  /**
   * Does your app have a user with this id? Asked (after the admin check) by every
   * `/mfa/admin/users/:userId/*` route; anything but `true` answers 404 USER_NOT_FOUND, and
   * a hook that throws answers 503 MFA_UNAVAILABLE. It receives the raw path segment (e.g.
   * `__proto__`, `-0`, `*`): look it up in a Map or your database, never as an object key.
   * @default none: any 1–191 character id is taken as one of your users, so an admin's typo
   * gets an empty view, a recovery ticket or a forced re-enrollment for an id nobody has
   */
  userExists?: (userId: string) => boolean | Promise<boolean>;
  /**
   * The country of a request, for location conditions and continuous evaluation.
   * @default `trustedCountryHeader` when set, else unknown
   */
  location?: LocationResolver;
  /**
   * A header your own proxy or CDN sets to the client's country (e.g. `cf-ipcountry`).
   * Only name one your edge overwrites on every request: a header the client can send is a
   * header the client can forge. `X-Forwarded-For` is never read for this reason.
   */
  trustedCountryHeader?: string;
  /**
   * Headers your edge sets to the client's coordinates (Cloudflare: `{ latitude:
   * 'cf-iplatitude', longitude: 'cf-iplongitude' }`), for the risk engine's impossible-travel
   * signal. The same warning as `trustedCountryHeader`: only headers the edge overwrites.
   * @default none: coordinates from `geoIp`, else the country's centroid
   */
  trustedCoordinateHeaders?: { latitude: string; longitude: string };
  /**
   * Locates the client address (`req.ip`, which honours Express 'trust proxy'): the country
   * when neither `location` nor `trustedCountryHeader` gave one, and coordinates for the risk
   * engine. E.g. `maxmindGeoIp({ database: '/var/lib/GeoIP/GeoLite2-City.mmdb' })` from
   * `nestjs-mfa/geoip`, over a database you provide. A resolver that throws fails the request closed.
   * @default none
   */
  geoIp?: GeoIpResolver;
  /** Device trust for `deviceTrusted` / `minDeviceTrust` conditions. @default untrusted */
  deviceTrust?: DeviceTrustSignal;
  /**
   * Your own session risk, 0..1, for `minRisk` conditions and `continuous.riskIncrease`: added
   * to the built-in engine's score, or used instead of it (`risk.hostSignal`). @default none
   */
  riskSignal?: RiskSignal;
  /**
   * The trusted-device cookie. `secure: 'auto'` leaves out `Secure` only for plain HTTP to
   * localhost, so local development works; every other request (a TLS proxy included) gets it.
   * @default { name: 'mfa_device', secure: 'auto', sameSite: 'lax', path: '/' }
   */
  trustedDeviceCookie?: {
    name?: string;
    secure?: boolean | 'auto';
    sameSite?: 'lax' | 'strict';
    domain?: string;
    path?: string;
  };
  /**
   * Cross-site request protection for MFA's state-changing endpoints: a browser request
   * marked `Sec-Fetch-Site: cross-site`, or whose `Origin` is neither this host nor one of
   * `allowedOrigins`, is refused with 403 CSRF_REJECTED. @default on, same host only
   */
  csrf?: { allowedOrigins?: string[]; enabled?: boolean };
  /**
   * Renews the session id after every successful verification (challenge verify, enrollment
   * confirm), so an id planted or seen before MFA never becomes a verified one (ASVS 7.2.4).
   * Return `{ sessionId, response? }`: MFA moves the session's state to the new id and
   * answers `response` under `session` (e.g. a token carrying the new `sid`); return null to
   * keep the id. A hook that throws voids the verification: 503 SESSION_ROTATION_FAILED.
   * @default express-session: `req.session.regenerate()`, keeping every key but the cookie; a token's `sid` is kept
   */
  rotateSession?: RotateSession;
  /**
   * Ends the user's other sessions of your app, for `POST /mfa/sessions/revoke-others`
   * (MFA voids their MFA state itself). `expressSessionRevoker(store)` does it for an
   * express-session store that can list sessions. @default none: other sessions stay signed in, without MFA
   */
  endOtherSessions?: AppSessionRevoker;
  /** Is this subject a machine (API key, service account)? @default false */
  isMachinePrincipal?: MachinePrincipalSignal;
}

// The name the contract's files have always read; it is the HTTP half. The adapters' full
// `MfaOptions` (setup and HTTP together) lives in libs/setup.
export type MfaOptions = MfaHttpOptions;
