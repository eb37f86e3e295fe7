import type { KeyvRedisOptions } from '@keyv/redis';
import { createClient, type RedisClientOptions } from '@redis/client';
import { backoff } from './lazy-client.js';
import { adapterOptions, pickAdapterOptions, RESP2_FALLBACK, RedisStore } from './redis-store-adapter.js';

/** Options of {@link redisStore}: where Redis is, and how `@keyv/redis` uses it. */
export interface RedisStoreOptions extends KeyvRedisOptions {
  /** Redis or Valkey URL, e.g. `'redis://user:pass@host:6379/0'`; default `'redis://localhost:6379'`. */
  url?: string;
  /**
   * node-redis client options (socket, TLS, credentials, database, RESP version…), merged over `url`.
   * Cachet's defaults, which these override: `disableOfflineQueue: true`, `socket.connectTimeout`
   * = `connectTimeout`, a reconnect backoff of 50 ms doubling to 2 s, and `RESP: 3` (unless
   * `tracking` is false).
   */
  client?: RedisClientOptions;
  /**
   * How long a connection attempt may take before calls reject, in ms; default 2000. Sets both
   * `@keyv/redis`'s `connectionTimeout` and the socket's `connectTimeout`.
   */
  connectTimeout?: number;
  /**
   * Whether a `Cache` over this store has Redis report writes to its tag and clear times (Redis's
   * client tracking, `CLIENT TRACKING ON BCAST`, on the store's connection), so that a hit reads the
   * entry alone instead of the entry and its times; default true. It needs RESP3, which the client
   * then speaks unless `client.RESP` says otherwise: Redis 6 or later, or Valkey. A server without
   * RESP3 (Redis before 6, a proxy that does not know `HELLO`) makes the store switch to RESP2 without
   * tracking on its own, after failing the calls made during that first attempt; `false` skips the
   * attempt. A server that refuses `CLIENT TRACKING` (an account without the `CLIENT` command) just
   * leaves the cache reading the times.
   */
  tracking?: boolean;
}

/**
 * A Keyv store over one Redis or Valkey server (or a Sentinel-managed one, through `client`), built on
 * `@keyv/redis`. Defaults make a down server fail fast: commands are not queued while disconnected
 * (`disableOfflineQueue`), the first connection is bounded by `connectTimeout`, and errors reject
 * (`throwOnErrors: true`), so the cache's fail-open path runs at once instead of hanging.
 * `clear()` deletes only the store's namespace with SCAN + UNLINK, never FLUSHDB; without a namespace
 * it rejects with `RedisClearError` (unless `noNamespaceAffectsAll: true` asks for FLUSHDB).
 *
 * @param urlOrOptions a Redis URL, or {@link RedisStoreOptions}.
 * @returns a Keyv store (a `KeyvRedis` subclass), usable as `new Cache({ store })` or `new Keyv({ store })`.
 * @example
 * ```ts
 * import { Cache } from '@cachet/core';
 * import { redisStore } from '@cachet/redis';
 * const cache = new Cache({ store: redisStore('redis://127.0.0.1:6379'), namespace: 'users' });
 * ```
 */
export function redisStore(urlOrOptions: string | RedisStoreOptions = {}): RedisStore {
  const options: RedisStoreOptions = typeof urlOrOptions === 'string' ? { url: urlOrOptions } : urlOrOptions;
  if (options.connectTimeout !== undefined && !(options.connectTimeout > 0)) {
    throw new TypeError(
      `redisStore: connectTimeout must be a positive number of ms, got ${options.connectTimeout}`,
    );
  }
  if (options.tracking === true && options.client?.RESP === 2) {
    throw new TypeError(
      'redisStore: tracking needs RESP3, but client.RESP is 2; remove client.RESP, or set tracking: false',
    );
  }
  const connectTimeout = options.connectTimeout ?? 2000;
  const clientOptions: RedisClientOptions = {
    url: options.url,
    disableOfflineQueue: true,
    ...options.client,
    socket: {
      connectTimeout,
      reconnectStrategy: backoff,
      ...options.client?.socket,
    } as RedisClientOptions['socket'],
  };
  // RESP3 for tracking, unless tracking is off or the caller chose a version. A RESP3 of our choosing
  // falls back to RESP2 on a server without it.
  const chosen = options.tracking !== false && options.client?.RESP === undefined;
  const client = createClient(chosen ? { ...clientOptions, RESP: 3 } : clientOptions);
  const resp = (client.options as RedisClientOptions | undefined)?.RESP;
  const store = new RedisStore(
    client,
    adapterOptions(pickAdapterOptions(options), connectTimeout),
    options.tracking === false ? undefined : resp,
  );
  if (chosen) store[RESP2_FALLBACK](() => createClient(clientOptions));
  return store;
}
