import type Redis from 'ioredis';
import type { SessionInvalidation, SessionInvalidationBus } from '../../core/src';

/**
 * Session-cache invalidations over Redis pub/sub: publishes on the shared client,
 * listens on a dedicated one (a subscribed connection can do nothing else). While the
 * listener is not subscribed, `connected` is false and the caches serve nothing; after a
 * reconnect they are cleared, since messages sent meanwhile are lost.
 */
export class RedisSessionInvalidation implements SessionInvalidationBus {
  private readonly subscriber: Redis;
  private subscribed = false;

  constructor(
    private readonly publisher: Redis,
    private readonly channel = 'nestjs-mfa:session-invalidation',
  ) {
    this.subscriber = publisher.duplicate({ enableOfflineQueue: false, autoResubscribe: false });
    this.subscriber.on('error', () => undefined); // reconnects on its own; `connected` tells the cache
  }

  get connected(): boolean {
    return this.subscribed && this.subscriber.status === 'ready';
  }

  async publish(event: SessionInvalidation): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(event));
  }

  /**
   * Never blocks or fails boot: while Redis is unreachable the caches simply stay off
   * (`connected` is false) and the subscription is made when the connection comes up.
   */
  async subscribe(onEvent: (event: SessionInvalidation) => void, onResync: () => void): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        const event = JSON.parse(message) as SessionInvalidation;
        if (
          event &&
          (typeof (event as { sessionRef?: unknown }).sessionRef === 'string' ||
            typeof (event as { userId?: unknown }).userId === 'string')
        )
          onEvent(event);
      } catch {
        onResync(); // an unreadable message may have been an invalidation: forget everything
      }
    });
    this.subscriber.on('close', () => (this.subscribed = false));
    // Whatever was published while we were away is lost: start from an empty cache.
    const join = () => {
      if (this.subscribed) return;
      this.subscriber.subscribe(this.channel).then(
        () => {
          onResync();
          this.subscribed = true;
        },
        () => undefined, // the next 'ready' tries again
      );
    };
    this.subscriber.on('ready', join);
    if (this.subscriber.status === 'ready') join();
    else if (this.subscriber.status === 'wait') this.subscriber.connect().catch(() => undefined); // a lazyConnect client
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
  }
}
