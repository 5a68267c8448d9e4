/** The host app's signed-in user as the core sees it. Adapters build it from a request. */
export interface MfaSubject {
  userId: string;
  /** The app's own session id (express-session id, JWT `sid`). Stored only as a hash. */
  sessionId: string;
  groups?: string[];
  /** Shown in authenticator apps as the account name. Defaults to the user id. */
  accountName?: string;
  ip?: string;
  userAgent?: string;
}
