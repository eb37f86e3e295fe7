/**
 * cacheable: `getOrSet` and `wrap` (with `createKey`, so that its keys are ours), over its in-memory
 * `KeyvCacheableMemory` (LRU, `lruSize`), that memory over `@keyv/redis` (its `secondary`), and
 * `@keyv/redis` alone as the primary.
 */
import KeyvRedis from '@keyv/redis';
import { Cacheable, Keyv, KeyvCacheableMemory } from 'cacheable';
import { userKey } from '../fixtures.js';
import { type Cached, type Layout, redisOf, type Variant, type VariantConfig } from './types.js';

function cacheableFor(layout: Layout, config: VariantConfig): Cacheable {
  const memory = new KeyvCacheableMemory({ lruSize: config.capacity });
  if (layout === 'memory') return new Cacheable({ primary: memory, ttl: config.ttl });
  const redis = new Keyv({ store: new KeyvRedis(redisOf(config).url), namespace: config.prefix });
  if (layout === 'l2') return new Cacheable({ primary: redis, ttl: config.ttl });
  return new Cacheable({ primary: memory, secondary: redis, ttl: config.ttl });
}

function getOrSet(layout: Layout): Variant {
  return {
    name: 'cacheable getOrSet',
    library: 'cacheable',
    layout,
    create(config): Cached {
      const cache = cacheableFor(layout, config);
      return {
        get: async (id) => (await cache.getOrSet(userKey(id), () => config.load(id)))!,
        close: () => cache.disconnect(),
      };
    },
  };
}

function wrap(layout: Layout): Variant {
  return {
    name: 'cacheable wrap',
    library: 'cacheable',
    layout,
    create(config): Cached {
      const cache = cacheableFor(layout, config);
      const get = cache.wrap(config.load, { createKey: (_, args) => userKey(args[0]) });
      return { get, close: () => cache.disconnect() };
    },
  };
}

/** Every cacheable variant, by layout. */
export const cacheable: Variant[] = (['memory', 'two-tier', 'l2'] as const).flatMap((layout) => [
  getOrSet(layout),
  wrap(layout),
]);
