import type { Bus, BusMessage } from '@cachet/core';
import { openConnections } from './connections.js';
import { RedisBusMessageError } from './errors.js';
import type {
  CommandConnection,
  RedisClient,
  RedisConnectionOptions,
  SubscriberConnection,
} from './lazy-client.js';

/** Options of {@link RedisBus}. */
export interface RedisBusOptions extends RedisConnectionOptions {
  /** The pub/sub channel; processes sharing a cache must use the same one. Default `'cachet:bus'`. */
  channel?: string;
  /** Called with errors the bus cannot throw to anyone: malformed messages, a handler that threw. */
  onError?: (error: Error) => void;
}

/**
 * A {@link Bus} over Redis pub/sub, so that a write or an invalidation in one process drops the entry
 * from every other process's L1. It holds two connections: a publisher (offline queue off, so a publish
 * while Redis is down fails fast) and a subscriber. Messages are JSON and carry keys, tags and
 * namespaces, never values.
 *
 * Pub/sub delivers at most once: while the subscriber is disconnected, messages are lost. So after
 * every reconnect (the subscription is restored first) the handlers given to {@link RedisBus.onReconnect}
 * run, and the cache flushes its L1. A first connection that completes only after `subscribe()` gave up
 * counts as a reconnect too.
 *
 * Under Sentinel (the `sentinel` option) both connections go to the master; after a failover they move
 * to the new master, the subscription is made again there, and the reconnect handlers run.
 *
 * @example
 * ```ts
 * const cache = new Cache({ store: redisStore(url), bus: new RedisBus({ url }) });
 * const sentinel = { name: 'mymaster', sentinels: [{ host: '10.0.0.5', port: 26379 }] };
 * const overSentinel = new Cache({ store: redisSentinelStore(sentinel), bus: new RedisBus({ sentinel }) });
 * ```
 */
export class RedisBus implements Bus {
  /** Connection that publishes. */
  #publisher: CommandConnection;
  /** Connection that subscribes (node-redis restores its subscriptions on reconnect). */
  #subscriber: SubscriberConnection;
  /** The channel name. */
  #channel: string;
  /** Handlers run after a reconnect. */
  #reconnectHandlers: Array<() => void> = [];
  /** The raw-message listener, once `subscribe()` was called. */
  #listener?: (raw: string) => void;
  /** The client the channel subscription is on (node-redis restores it when that client reconnects). */
  #subscribedOn?: RedisClient;
  /** Whether `subscribe()` gave up waiting for the first connection, so the first 'ready' subscribes. */
  #late = false;
  /** Set by `disconnect()`. */
  #closed = false;
  /** Error sink. */
  #onError: (error: Error) => void;

  /** @param options where Redis is (a URL, or `sentinel`), the channel, and an error sink; see {@link RedisBusOptions}. */
  constructor(options: RedisBusOptions | string = {}) {
    const opts = typeof options === 'string' ? { url: options } : options;
    this.#channel = opts.channel ?? 'cachet:bus';
    if (typeof this.#channel !== 'string' || this.#channel === '') {
      throw new TypeError('RedisBus: channel must be a non-empty string');
    }
    this.#onError = opts.onError ?? (() => {});
    const connections = openConnections('RedisBus', opts, {
      commands: 'RedisBus publisher',
      subscriber: 'RedisBus subscriber',
    });
    this.#publisher = connections.commands;
    this.#subscriber = connections.subscriber;
    this.#subscriber.onReady((client) => this.#onReady(client));
  }

  /** The channel this bus publishes and listens on. */
  get channel(): string {
    return this.#channel;
  }

  /** Publishes `message` to every subscribed process (this one included); rejects fast while Redis is down. */
  async publish(message: BusMessage): Promise<void> {
    const client = await this.#publisher.get();
    await client.publish(this.#channel, JSON.stringify(message));
  }

  /**
   * Subscribes `handler` to the channel. Resolves once subscribed; rejects with `RedisConnectError`
   * after `connectTimeout`, but keeps trying, and when it gets through it subscribes and the reconnect
   * handlers run (messages were missed meanwhile).
   */
  async subscribe(handler: (message: BusMessage) => void): Promise<void> {
    this.#listener = (raw: string) => this.#deliver(raw, handler);
    // Connect the publisher now too, so a later publish while Redis is down fails at once.
    this.#publisher.get().catch(() => {});
    let client: RedisClient;
    try {
      client = await this.#subscriber.get();
    } catch (error) {
      this.#late = true;
      throw error;
    }
    await client.subscribe(this.#channel, this.#listener);
    this.#subscribedOn = client;
  }

  /** Registers `handler` to run after the subscriber reconnects (messages may have been missed). */
  onReconnect(handler: () => void): void {
    this.#reconnectHandlers.push(handler);
  }

  /** Closes both connections. */
  async disconnect(): Promise<void> {
    this.#closed = true;
    await Promise.all([this.#publisher.close(), this.#subscriber.close()]);
  }

  /**
   * A subscriber client became ready: after a reconnect, a new client to a new master (Sentinel), or
   * at last after `subscribe()` gave up.
   */
  #onReady(client: RedisClient): void {
    if (this.#closed) return;
    // node-redis has already restored the subscription when it emits 'ready' after a reconnect.
    if (client === this.#subscribedOn) {
      this.#fireReconnect();
      return;
    }
    // The first connection: subscribe() itself subscribes, unless it gave up waiting.
    if (this.#listener === undefined || (this.#subscribedOn === undefined && !this.#late)) return;
    this.#late = false;
    client.subscribe(this.#channel, this.#listener).then(
      () => {
        this.#subscribedOn = client;
        this.#fireReconnect();
      },
      (error: Error) => this.#onError(error),
    );
  }

  /** Runs the reconnect handlers. */
  #fireReconnect(): void {
    for (const handler of this.#reconnectHandlers) {
      try {
        handler();
      } catch (error) {
        this.#onError(error as Error);
      }
    }
  }

  /** Parses one raw message and hands it to the handler. */
  #deliver(raw: string, handler: (message: BusMessage) => void): void {
    let message: BusMessage;
    try {
      message = JSON.parse(raw) as BusMessage;
    } catch (error) {
      this.#onError(new RedisBusMessageError(raw, { cause: error }));
      return;
    }
    if (!isBusMessage(message)) {
      this.#onError(new RedisBusMessageError(raw));
      return;
    }
    try {
      handler(message);
    } catch (error) {
      this.#onError(error as Error);
    }
  }
}

/** Whether `value` has the shape of a {@link BusMessage}. */
function isBusMessage(value: unknown): value is BusMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (typeof m.origin !== 'string') return false;
  if (m.namespace !== undefined && typeof m.namespace !== 'string') return false;
  switch (m.kind) {
    case 'delete':
      return Array.isArray(m.keys);
    case 'tags':
      return Array.isArray(m.tags) && typeof m.at === 'number';
    case 'clear':
      return typeof m.namespace === 'string';
    default:
      return false;
  }
}
