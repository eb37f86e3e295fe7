import { createClient, type RedisClientOptions } from '@redis/client';
import { RedisConnectError } from './errors.js';

/** A node-redis client of the default shape. */
export type RedisClient = ReturnType<typeof createClient>;

/** Options shared by the bus and the lock for their own connections. */
export interface RedisConnectionOptions {
  /** Redis URL, e.g. `'redis://127.0.0.1:6379'`; default `'redis://localhost:6379'`. */
  url?: string;
  /** Full node-redis client options (merged over `url`); see `@redis/client`'s `createClient`. */
  client?: RedisClientOptions;
  /**
   * How long the first connection may take before calls fail, in ms; default 2000. The client keeps
   * reconnecting in the background afterwards.
   */
  connectTimeout?: number;
}

/**
 * A node-redis client connected on first use. Concurrent first callers share one connection attempt;
 * after it settles (or times out) callers get the client at once, and because the offline queue is off
 * by default, commands sent while Redis is unreachable fail fast instead of queueing.
 */
export class LazyClient {
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

  /** Closes the connection; pending commands are rejected. */
  async close(): Promise<void> {
    if (this.client.isOpen) this.client.destroy();
  }
}

/** Reconnect backoff: 50 ms doubling to 2 s, with jitter. */
export function backoff(retries: number): number {
  return Math.min(50 * 2 ** retries, 2000) + Math.floor(Math.random() * 50);
}

/** Rejects with {@link RedisConnectError} if `promise` is not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
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
        reject(new RedisConnectError(what, ms, { cause: error }));
      },
    );
  });
}
