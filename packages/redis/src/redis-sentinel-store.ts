import type { KeyvRedisOptions } from '@keyv/redis';
import { ADAPTER_OPTIONS, adapterOptions, pickAdapterOptions, RedisStore } from './redis-store-adapter.js';
import {
  checkConnectTimeout,
  checkSentinelOptions,
  createSentinelClient,
  type RedisSentinelOptions,
} from './sentinel.js';

/** Options of {@link redisSentinelStore}: where the sentinels are, and how `@keyv/redis` uses the master. */
export interface RedisSentinelStoreOptions extends KeyvRedisOptions, RedisSentinelOptions {
  /**
   * How long a connection attempt may take before calls reject, in ms; default 2000. Sets
   * `@keyv/redis`'s `connectionTimeout` and the `connectTimeout` of every socket (sentinels and nodes).
   */
  connectTimeout?: number;
}

/**
 * A Keyv store over a Sentinel-managed Redis (or Valkey), built on `@keyv/redis` and node-redis's
 * Sentinel client: it asks the sentinels for the master, sends every command there, and follows the
 * master when the sentinels fail over to a replica.
 *
 * Same fail-fast defaults as {@link redisStore}: the node connections have no offline queue, the first
 * connection is bounded by `connectTimeout`, errors reject. A dropped master connection retries with a
 * backoff for about 750 ms, then the client asks the sentinels again. During a failover, commands wait
 * until the client has found the new master; a `Cache` does not wait for them longer than its
 * `storeTimeout` and calls the loader meanwhile.
 *
 * @returns a Keyv store (a `KeyvRedis` subclass), usable as `new Cache({ store })` or `new Keyv({ store })`.
 * @example
 * ```ts
 * import { Cache } from '@cachet/core';
 * import { redisSentinelStore } from '@cachet/redis';
 * const store = redisSentinelStore({
 *   name: 'mymaster',
 *   sentinels: [{ host: '10.0.0.5', port: 26379 }, { host: '10.0.0.6', port: 26379 }],
 *   nodeClientOptions: { password: process.env.REDIS_PASSWORD },
 * });
 * const cache = new Cache({ store, namespace: 'users' });
 * ```
 */
export function redisSentinelStore(options: RedisSentinelStoreOptions): RedisStore {
  checkSentinelOptions('redisSentinelStore', options);
  checkConnectTimeout('redisSentinelStore', options.connectTimeout);
  const connectTimeout = options.connectTimeout ?? 2000;
  // What is neither ours nor @keyv/redis's goes to node-redis's createSentinel.
  const sentinel: Record<string, unknown> = { ...options };
  for (const key of [...ADAPTER_OPTIONS, 'connectTimeout']) delete sentinel[key];
  const client = createSentinelClient(sentinel as unknown as RedisSentinelOptions, connectTimeout);
  return new RedisStore(client, adapterOptions(pickAdapterOptions(options), connectTimeout));
}
