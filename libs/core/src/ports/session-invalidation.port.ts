/** What changed: one session's verifications (by its hashed reference), or all of a user's. */
export type SessionInvalidation = { sessionRef: string } | { userId: string };

/**
 * Tells every instance that verification state changed, so each can keep a session cache
 * that is exact across instances (the Redis implementation uses pub/sub). Only hashed
 * session references travel, never a session id.
 */
export interface SessionInvalidationBus {
  publish(event: SessionInvalidation): Promise<void>;
  /** `onResync` runs after any gap in delivery (a reconnect): messages may have been missed. */
  subscribe(onEvent: (event: SessionInvalidation) => void, onResync: () => void): Promise<void>;
  /** False while messages could be missed; the cache then serves nothing. */
  readonly connected: boolean;
  close?(): Promise<void>;
}
