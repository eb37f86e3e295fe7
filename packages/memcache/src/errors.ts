/** Errors of `@cachet/memcache`, each with a stable `code`. */

/**
 * `clear()` was called on a Memcached store. Memcached can only `flush` whole servers, which would also
 * wipe other tenants' data, so the store refuses unless created with `allowFlush: true`. Cachet clears
 * namespaces and tags logically and never needs this.
 */
export class MemcacheClearError extends Error {
  /** Stable error code. */
  readonly code = 'E_MEMCACHE_CLEAR_UNSUPPORTED' as const;

  constructor() {
    super(
      'memcacheStore: clear() would flush every server (all tenants). Use cache.clear(), which clears ' +
        'the namespace logically, or create the store with { allowFlush: true } if the servers are yours alone.',
    );
    this.name = 'MemcacheClearError';
  }
}
