import { Cache } from '../cache.js';

/**
 * Which cache a decorator uses: a `Cache`; the name of one registered with `setDefaultCache(cache,
 * name)`; or a function of the instance returning one (for dependency injection).
 */
export type CacheRef = Cache | string | ((instance: any) => Cache);

/**
 * Where the default and named caches live: on `globalThis` under a registered symbol, so that the ESM
 * and the CJS builds of this package, if both get loaded, still share them.
 */
const SLOT = Symbol.for('@cachet/core.caches');
const registry = globalThis as { [SLOT]?: Map<string, Cache> };
const caches = (registry[SLOT] ??= new Map<string, Cache>());
/** The name of the default cache in the registry. */
const DEFAULT = '';

/**
 * Caches bound to single instances ({@link bindCache}), by instance, then by name. On `globalThis`
 * like the registry; `used` stays false until the first binding, so that a decorated call does not
 * look an instance up when nothing was ever bound.
 */
const BOUND_SLOT = Symbol.for('@cachet/core.bound-caches');
const boundHolder = globalThis as {
  [BOUND_SLOT]?: { map: WeakMap<object, Map<string, Cache>>; used: boolean };
};
const bound = (boundHolder[BOUND_SLOT] ??= { map: new WeakMap(), used: false });

/**
 * Sets the cache that `@Cached`, `@Invalidate` and `@CachePut` use when they name none, or, with
 * `name`, the cache they use when they say `cache: name`. `undefined` removes it.
 * @example
 * ```ts
 * setDefaultCache(new Cache({ store: redisStore('redis://127.0.0.1:6379'), ttl: '10m' }));
 * setDefaultCache(new Cache({ ttl: '1h' }), 'reports'); // @Cached({ cache: 'reports' })
 * ```
 */
export function setDefaultCache(cache: Cache | undefined, name: string = DEFAULT): void {
  if (cache === undefined) caches.delete(name);
  else caches.set(name, cache);
}

/**
 * The cache decorators use when they name none (an in-memory `Cache` is made on first use), or the
 * cache registered under `name` (an error if there is none).
 */
export function getDefaultCache(name: string = DEFAULT): Cache {
  let cache = caches.get(name);
  if (cache === undefined) {
    if (name !== DEFAULT) {
      throw new TypeError(
        `no cache is registered as "${name}"; call setDefaultCache(cache, "${name}") first`,
      );
    }
    cache = new Cache();
    caches.set(DEFAULT, cache);
  }
  return cache;
}

/**
 * The cache registered as the default (or under `name`), or `undefined` when there is none. Unlike
 * {@link getDefaultCache}, it never makes one: for frameworks that register caches of their own and
 * want to put back what was there before.
 */
export function peekDefaultCache(name: string = DEFAULT): Cache | undefined {
  return caches.get(name);
}

/**
 * Makes the decorated methods of `instance` use `cache` where they name no cache (or, with `name`,
 * where they say `cache: name`), ahead of the caches registered with {@link setDefaultCache}.
 * `undefined` removes the binding. For containers that make the same classes once per app, several
 * apps to a process (`@cachet/nestjs` binds every provider of an app to that app's caches); a
 * decorator whose `cache` option is a `Cache` or a function still uses that.
 * @example
 * ```ts
 * const tenantA = new UsersService();
 * bindCache(tenantA, new Cache({ store: redisStore(urlA) }));
 * ```
 */
export function bindCache(instance: object, cache: Cache | undefined, name: string = DEFAULT): void {
  if (typeof instance !== 'object' || instance === null) {
    throw new TypeError(
      `bindCache: instance must be the object whose decorated methods use the cache, got ${instance}`,
    );
  }
  if (cache !== undefined && !isCache(cache)) {
    throw new TypeError('bindCache: cache must be a Cache (or undefined to remove the binding)');
  }
  let caches = bound.map.get(instance);
  if (cache === undefined) {
    caches?.delete(name);
    return;
  }
  if (caches === undefined) bound.map.set(instance, (caches = new Map()));
  caches.set(name, cache);
  bound.used = true;
}

/** The cache a decorated call on `instance` uses. */
export function resolveCache(ref: CacheRef | undefined, instance: unknown): Cache {
  if (ref === undefined || typeof ref === 'string') {
    if (bound.used && typeof instance === 'object' && instance !== null) {
      const cache = bound.map.get(instance)?.get(ref ?? DEFAULT);
      if (cache !== undefined) return cache;
    }
    return getDefaultCache(ref);
  }
  if (typeof ref !== 'function') return ref;
  const cache = ref(instance);
  if (!isCache(cache)) {
    throw new TypeError(
      'the decorator option `cache` must be a Cache, a cache name, or a function returning a Cache',
    );
  }
  return cache;
}

/** Whether `value` is a Cache (or quacks like one: decorators only call `fetch`). */
function isCache(value: unknown): value is Cache {
  return typeof value === 'object' && value !== null && typeof (value as Partial<Cache>).fetch === 'function';
}
