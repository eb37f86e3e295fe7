/** Cachet: `cache.getOrSet` and a `@Cached` method, in memory, over Redis, and on Redis alone. */
import { Cache, Cached as CachedMethod, type CacheOptions } from '@cachet/core';
import { RedisLock, redisStore } from '@cachet/redis';
import { type User, userKey } from '../fixtures.js';
import { type Cached, type Layout, redisOf, type Variant, type VariantConfig } from './types.js';

function cacheFor(layout: Layout, config: VariantConfig): Cache {
  const options: CacheOptions = { ttl: config.ttl, memory: { maxEntries: config.capacity } };
  if (layout !== 'memory') {
    options.store = redisStore(redisOf(config).url);
    options.namespace = config.prefix;
  }
  if (layout === 'l2') options.memory = false;
  return new Cache(options);
}

function getOrSet(layout: Layout): Variant {
  return {
    name: 'Cachet cache.getOrSet',
    library: 'cachet',
    layout,
    create(config): Cached {
      const cache = cacheFor(layout, config);
      return {
        get: (id) => cache.getOrSet(userKey(id), () => config.load(id)),
        close: () => cache.disconnect(),
      };
    },
  };
}

function decorated(layout: Layout): Variant {
  return {
    name: 'Cachet @Cached',
    library: 'cachet',
    layout,
    create(config): Cached {
      const cache = cacheFor(layout, config);
      class Users {
        @CachedMethod({ cache, key: (id: number) => userKey(id) })
        async get(id: number): Promise<User> {
          return config.load(id);
        }
      }
      const users = new Users();
      return { get: (id) => users.get(id), close: () => cache.disconnect() };
    },
  };
}

/** Every Cachet variant, by layout. */
export const cachet: Variant[] = (['memory', 'two-tier', 'l2'] as const).flatMap((layout) => [
  decorated(layout),
  getOrSet(layout),
]);

/**
 * Cachet over Redis with `RedisLock`, the opt-in lock that makes one loader run per key across
 * processes (not only per process). For the stampede suite's many-instance wave.
 */
export const cachetLocked: Variant = {
  name: 'Cachet cache.getOrSet + RedisLock',
  library: 'cachet',
  layout: 'two-tier',
  create(config): Cached {
    const url = redisOf(config).url;
    const cache = new Cache({
      ttl: config.ttl,
      memory: { maxEntries: config.capacity },
      store: redisStore(url),
      namespace: config.prefix,
      lock: new RedisLock({ url }),
    });
    return {
      get: (id) => cache.getOrSet(userKey(id), () => config.load(id)),
      close: () => cache.disconnect(),
    };
  },
};
