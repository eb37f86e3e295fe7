import { Cache } from '../cache.js';

/** A cache, or a function giving the cache for an instance (for dependency injection). */
export type CacheRef = Cache | ((instance: any) => Cache);

/**
 * Where the default cache lives: on `globalThis` under a registered symbol, so that the ESM and the
 * CJS builds of this package, if both get loaded, still share one.
 */
const SLOT = Symbol.for('@cachet/core.defaultCache');
const registry = globalThis as { [SLOT]?: Cache };

/**
 * Sets the cache that `@Cached`, `@Invalidate` and `@CachePut` use when they name none.
 * @example
 * ```ts
 * setDefaultCache(new Cache({ store: redisStore('redis://127.0.0.1:6379'), ttl: '10m' }));
 * ```
 */
export function setDefaultCache(cache: Cache | undefined): void {
  registry[SLOT] = cache;
}

/** The cache decorators use when they name none; an in-memory `Cache` is made on first use. */
export function getDefaultCache(): Cache {
  registry[SLOT] ??= new Cache();
  return registry[SLOT];
}

/** The cache a decorated call on `instance` uses. */
export function resolveCache(ref: CacheRef | undefined, instance: unknown): Cache {
  if (ref === undefined) return getDefaultCache();
  if (typeof ref !== 'function') return ref;
  const cache = ref(instance);
  if (typeof cache !== 'object' || cache === null || typeof cache.fetch !== 'function') {
    throw new TypeError('the decorator option `cache` must be a Cache or a function returning one');
  }
  return cache;
}
