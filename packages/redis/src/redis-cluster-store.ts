import type { KeyvRedisOptions } from '@keyv/redis';
import { createCluster, type RedisClusterOptions } from '@redis/client';
import { backoff } from './lazy-client.js';
import { adapterOptions, pickAdapterOptions, RedisStore } from './redis-store-adapter.js';

/** Options of {@link redisClusterStore}. */
export interface RedisClusterStoreOptions extends KeyvRedisOptions {
  /** Some nodes of the cluster, e.g. `[{ url: 'redis://10.0.0.1:6379' }]`; the rest are discovered. */
  rootNodes: RedisClusterOptions['rootNodes'];
  /**
   * More node-redis cluster options (`defaults` for every node connection, `useReplicas`, …). Cachet's
   * defaults for every node, which these override: `disableOfflineQueue: true`,
   * `socket.connectTimeout` = `connectTimeout`, reconnect backoff 50 ms doubling to 2 s.
   */
  cluster?: Omit<RedisClusterOptions, 'rootNodes'>;
  /** How long connecting to the cluster may take before calls reject, in ms; default 2000. */
  connectTimeout?: number;
}

/**
 * A Keyv store over a Redis (or Valkey) Cluster, built on `@keyv/redis` and node-redis's cluster
 * client: keys are routed by slot, `getMany`/`setMany`/`deleteMany` are split per slot, and `clear()`
 * scans every master for the store's namespace only. Same fail-fast defaults as {@link redisStore}.
 *
 * @returns a Keyv store (a `KeyvRedis` subclass), usable as `new Cache({ store })` or `new Keyv({ store })`.
 * @example
 * ```ts
 * const store = redisClusterStore({ rootNodes: [{ url: 'redis://10.0.0.1:7000' }, { url: 'redis://10.0.0.2:7000' }] });
 * const cache = new Cache({ store });
 * ```
 */
export function redisClusterStore(options: RedisClusterStoreOptions): RedisStore {
  if (!Array.isArray(options?.rootNodes) || options.rootNodes.length === 0) {
    throw new TypeError(
      'redisClusterStore: rootNodes must list at least one node, e.g. [{ url: "redis://host:7000" }]',
    );
  }
  const connectTimeout = options.connectTimeout ?? 2000;
  const defaults = options.cluster?.defaults;
  const cluster = createCluster({
    ...options.cluster,
    rootNodes: options.rootNodes,
    defaults: {
      disableOfflineQueue: true,
      ...defaults,
      socket: {
        connectTimeout,
        reconnectStrategy: backoff,
        ...defaults?.socket,
      } as NonNullable<RedisClusterOptions['defaults']>['socket'],
    },
  });
  return new RedisStore(cluster, adapterOptions(pickAdapterOptions(options), connectTimeout));
}
