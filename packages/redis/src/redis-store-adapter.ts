import KeyvRedis, { type KeyvRedisOptions, type RedisClientConnectionType } from '@keyv/redis';

/**
 * The Keyv store that {@link redisStore} and {@link redisClusterStore} return: `@keyv/redis`'s
 * `KeyvRedis` with one fix. `KeyvRedis` treats a client that is still connecting as connected, so with
 * the offline queue off (our default, so a down Redis fails fast) the first burst of concurrent calls
 * would be rejected; here concurrent first callers share one connection attempt.
 *
 * It is a plain Keyv store: use it as `new Cache({ store })` or `new Keyv({ store })`.
 */
export class RedisStore<T = string> extends KeyvRedis<T> {
  /**
   * Tells `@cachet/core` that this store keeps strings as they are, reads many keys with one MGET and
   * takes TTLs in ms, so a `Cache` calls it directly instead of through a second Keyv serialization.
   */
  readonly cachet = { raw: true } as const;
  /** The connection attempt in flight, shared by concurrent callers. */
  #pending?: Promise<RedisClientConnectionType>;

  /** Resolves the connected client, connecting once for all concurrent callers. */
  override getClient(): Promise<RedisClientConnectionType> {
    if (this.#pending !== undefined) return this.#pending;
    // Open means connected, or reconnecting in the background: commands then fail fast.
    if (this.client.isOpen) return Promise.resolve(this.client);
    const pending = super.getClient().finally(() => {
      this.#pending = undefined;
    });
    this.#pending = pending;
    return pending;
  }
}

/** Options of `KeyvRedis` that Cachet passes through, with Cachet's defaults applied. */
export type RedisAdapterOptions = KeyvRedisOptions;

/** Cachet's defaults for `KeyvRedis`: reject on errors, bounded first connection, never FLUSHDB. */
export function adapterOptions(options: KeyvRedisOptions, connectTimeout: number): KeyvRedisOptions {
  return {
    throwOnConnectError: true,
    throwOnErrors: true,
    connectionTimeout: connectTimeout,
    noNamespaceAffectsAll: false,
    ...options,
  };
}

/** Picks the `KeyvRedis` options out of a factory's options. */
export function pickAdapterOptions(options: KeyvRedisOptions): KeyvRedisOptions {
  const keys = [
    'namespace',
    'keyPrefixSeparator',
    'clearBatchSize',
    'useUnlink',
    'noNamespaceAffectsAll',
    'throwOnConnectError',
    'throwOnErrors',
    'connectionTimeout',
  ] as const;
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (options[key] !== undefined) picked[key] = options[key];
  return picked as KeyvRedisOptions;
}
