import { MemcacheStore } from './memcache-store-adapter.js';
import { rendezvous } from './rendezvous.js';

/** Options of {@link memcacheStore}. */
export interface MemcacheStoreOptions {
  /** Servers as `'host:port'`, one or many, e.g. `['10.0.0.1:11211', '10.0.0.2:11211']`. */
  servers: string | string[];
  /** How long one operation may take before it fails, in ms; default 500. */
  timeout?: number;
  /** Attempts per operation before it rejects (memjs `retries`); default 2. */
  retries?: number;
  /** How keys are spread over servers: `'rendezvous'` (consistent) or memjs's `'modulo'`; default `'rendezvous'`. */
  distribution?: 'rendezvous' | 'modulo';
  /**
   * Let `clear()` flush every server. Only for servers used by this application alone (tests, a
   * dedicated pool); default `false`, and `clear()` then rejects with `MemcacheClearError`.
   */
  allowFlush?: boolean;
  /** More memjs options (`username`, `password`, `keepAlive`, `conntimeout` in seconds, `logger`, …). */
  client?: Record<string, unknown>;
}

/**
 * A Keyv store over one or many Memcached servers, built on `@keyv/memcache` (memjs, binary protocol),
 * with consistent (rendezvous) hashing over the servers, safe keys (long or odd keys are hashed with
 * SHA-256, never truncated), TTLs that never turn into "never expires", and a `clear()` that never
 * flushes shared servers. Cachet's own `cache.clear()` and tag invalidation are logical and work here.
 *
 * @param serversOrOptions `'host:port'`, a list of them, or {@link MemcacheStoreOptions}.
 * @returns a Keyv store, usable as `new Cache({ store })` or `new Keyv({ store })`.
 * @example
 * ```ts
 * import { Cache } from '@cachet/core';
 * import { memcacheStore } from '@cachet/memcache';
 * const cache = new Cache({ store: memcacheStore(['10.0.0.1:11211', '10.0.0.2:11211']) });
 * ```
 */
export function memcacheStore(serversOrOptions: string | string[] | MemcacheStoreOptions): MemcacheStore {
  const options: MemcacheStoreOptions =
    typeof serversOrOptions === 'string' || Array.isArray(serversOrOptions)
      ? { servers: serversOrOptions }
      : serversOrOptions;
  const servers = (
    Array.isArray(options?.servers) ? options.servers : String(options?.servers ?? '').split(',')
  )
    .map((server) => server.trim())
    .filter((server) => server !== '');
  if (servers.length === 0) {
    throw new TypeError("memcacheStore: servers must name at least one 'host:port', e.g. '127.0.0.1:11211'");
  }
  const timeout = options.timeout ?? 500;
  if (!(timeout > 0))
    throw new TypeError(`memcacheStore: timeout must be a positive number of ms, got ${timeout}`);
  const store = new MemcacheStore(servers.join(','), {
    timeout: timeout / 1000,
    retries: options.retries ?? 2,
    logger: { log() {} },
    ...options.client,
    allowFlush: options.allowFlush,
  });
  if ((options.distribution ?? 'rendezvous') === 'rendezvous' && servers.length > 1) {
    (store.client as unknown as { getServer(key: string): number }).getServer = rendezvous(servers);
  }
  return store;
}
