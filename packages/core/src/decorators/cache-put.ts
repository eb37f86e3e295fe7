import { keyOf } from '../keys.js';
import { checkDecoratorOptions, mustBeAsync, Scope } from './cached.js';
import { methodDecorator } from './decorate.js';
import { resolveCache } from './default-cache.js';
import type { AsyncMethodDecorator, CachePutOptions, KnownOptions } from './options.js';

/**
 * Always runs the method and caches its result under the key, so that `@Cached` readers of that key
 * get it. Give the same `key` (or `namespace`) as the `@Cached` method it feeds.
 *
 * @example
 * ```ts
 * @CachePut({ key: (id: number) => `user:${id}` })
 * async reload(id: number) { return db.users.find(id); }
 * ```
 */
export function CachePut<const O extends CachePutOptions = {}>(
  options: KnownOptions<O, CachePutOptions> = {} as KnownOptions<O, CachePutOptions>,
): AsyncMethodDecorator<O> {
  checkDecoratorOptions('CachePut', options);
  return methodDecorator('CachePut', (original, site) => {
    const call = mustBeAsync('CachePut', original, site);
    const scope = new Scope(options, site);
    const { key, condition, unless } = options;
    return async function cachePut(this: unknown, ...args: unknown[]) {
      const result = await call.apply(this, args);
      if (condition !== undefined && !condition(...args)) return result;
      if (unless?.(result, ...args)) return result;
      const cache = resolveCache(options.cache, this);
      const k = key === undefined ? keyOf(scope.namespace(this), args) : key(...args);
      const source = scope.tagSource(this);
      const tags = typeof source === 'function' ? source(args) : source;
      await cache.set(k, result, { ttl: options.ttl, grace: options.grace, tags });
      return result;
    };
  }) as AsyncMethodDecorator<O>;
}
