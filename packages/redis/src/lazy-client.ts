import { createClient, type RedisClientOptions } from '@redis/client';
import { RedisConnectError } from './errors.js';
import type { RedisSentinelOptions } from './sentinel.js';

/** A node-redis client of the default shape. */
export type RedisClient = ReturnType<typeof createClient>;

/** Options shared by the bus and the lock for their own connections. */
export interface RedisConnectionOptions {
  /** Redis URL, e.g. `'redis://127.0.0.1:6379'`; default `'redis://localhost:6379'`. */
  url?: string;
  /** Full node-redis client options (merged over `url`); see `@redis/client`'s `createClient`. */
  client?: RedisClientOptions;
  /**
   * A Sentinel-managed Redis instead of `url` and `client`: the connections go to the master the
   * sentinels name, and move to the new one after a failover. Node options (credentials, TLS…) go in
   * `sentinel.nodeClientOptions`.
   *
   * @example
   * ```ts
   * new RedisBus({ sentinel: { name: 'mymaster', sentinels: [{ host: '10.0.0.5', port: 26379 }] } })
   * ```
   */
  sentinel?: RedisSentinelOptions;
  /**
   * How long the first connection may take before calls fail, in ms; default 2000. The client keeps
   * reconnecting in the background afterwards. Under Sentinel, also how long a command may wait while
   * the client looks for the master after a failover.
   */
  connectTimeout?: number;
}

/** The commands the bus and the lock send; a node-redis client and a Sentinel client both have them. */
export interface Commands {
  /** PUBLISH. */
  publish(channel: string, message: string): Promise<unknown>;
  /** EVAL. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** A connection for commands, connected on first use. */
export interface CommandConnection {
  /** Resolves the connected client (or rejects after the first-connection timeout). */
  get(): Promise<Commands>;
  /** Closes the connection; pending commands are rejected. */
  close(): Promise<void>;
}

/** A connection for SUBSCRIBE, connected on first use. */
export interface SubscriberConnection {
  /** Resolves the connected client (or rejects after the first-connection timeout). */
  get(): Promise<RedisClient>;
  /**
   * Registers `handler` to run whenever a client becomes ready: after a reconnect (node-redis restored
   * its subscriptions first) or, under Sentinel, a new client to a new master (with no subscriptions).
   */
  onReady(handler: (client: RedisClient) => void): void;
  /** Closes the connection. */
  close(): Promise<void>;
}

/**
 * A node-redis client connected on first use. Concurrent first callers share one connection attempt;
 * after it settles (or times out) callers get the client at once, and because the offline queue is off
 * by default, commands sent while Redis is unreachable fail fast instead of queueing.
 */
export class LazyClient implements CommandConnection, SubscriberConnection {
  /** The client, created at construction, connected on first use. */
  readonly client: RedisClient;
  /** The first connection attempt, raced against the timeout. */
  #connecting?: Promise<void>;
  /** First-connection time limit, in ms. */
  #timeout: number;
  /** What this connection serves, for error messages. */
  #what: string;

  constructor(what: string, options: RedisConnectionOptions, overrides: Partial<RedisClientOptions> = {}) {
    this.#what = what;
    this.#timeout = options.connectTimeout ?? 2000;
    this.client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      ...options.client,
      ...overrides,
      socket: {
        connectTimeout: this.#timeout,
        reconnectStrategy: backoff,
        ...options.client?.socket,
        ...overrides.socket,
      } as RedisClientOptions['socket'],
    });
    // node-redis throws on an 'error' event without a listener; errors surface as rejected commands.
    this.client.on('error', () => {});
  }

  /** Resolves the client once connected (or rejects after the first-connection timeout). */
  async get(): Promise<RedisClient> {
    if (this.client.isReady) return this.client;
    if (this.#connecting === undefined) {
      const attempt = this.client.connect().then(() => undefined);
      attempt.catch(() => {});
      this.#connecting = withTimeout(attempt, this.#timeout, this.#what);
    }
    await this.#connecting;
    return this.client;
  }

  /** Whether a connection was ever attempted. */
  get started(): boolean {
    return this.#connecting !== undefined;
  }

  /** Runs `handler` with the client each time it becomes ready (the first connection included). */
  onReady(handler: (client: RedisClient) => void): void {
    this.client.on('ready', () => handler(this.client));
  }

  /** Closes the connection; pending commands are rejected. */
  async close(): Promise<void> {
    if (this.client.isOpen) this.client.destroy();
  }
}

/** Reconnect backoff: 50 ms doubling to 2 s, with jitter. */
export function backoff(retries: number): number {
  return Math.min(50 * 2 ** retries, 2000) + Math.floor(Math.random() * 50);
}

/**
 * Whether `promise` settled (either way) within `ms`; its outcome is not passed on. For closing
 * connections: node-redis's Sentinel client, closed or destroyed while its search for the master waits
 * on a sentinel that accepts connections and never answers, finishes only when that wait ends.
 */
export function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref?.();
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(settled, settled);
  });
}

/**
 * Rejects with {@link RedisConnectError} if `promise` is not settled within `ms`. Its own rejection is
 * wrapped in one too (a failed connection), unless `wrap` is false (a command's error, passed on as is).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, wrap = true): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisConnectError(what, ms)), ms);
    timer.unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(wrap ? new RedisConnectError(what, ms, { cause: error }) : error);
      },
    );
  });
}
