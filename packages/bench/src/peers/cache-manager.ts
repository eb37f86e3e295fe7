/**
 * cache-manager `wrap`, with the stores its docs recommend: Keyv over cacheable's `CacheableMemory`
 * (LRU, `lruSize`), that and Keyv over `@keyv/redis` as two tiers, and `@keyv/redis` alone.
 */
import KeyvRedis from '@keyv/redis';
import { createCache } from 'cache-manager';
import { CacheableMemory } from 'cacheable';
import { Keyv } from 'keyv';
import { userKey } from '../fixtures.js';
import { type Cached, type Layout, redisOf, type Variant, type VariantConfig } from './types.js';

function storesFor(layout: Layout, config: VariantConfig): Keyv[] {
  const memory = new Keyv({ store: new CacheableMemory({ lruSize: config.capacity }) });
  if (layout === 'memory') return [memory];
  const redis = new Keyv({ store: new KeyvRedis(redisOf(config).url), namespace: config.prefix });
  return layout === 'l2' ? [redis] : [memory, redis];
}

function variant(layout: Layout): Variant {
  return {
    name: 'cache-manager wrap',
    library: 'cache-manager',
    layout,
    create(config): Cached {
      const cache = createCache({ stores: storesFor(layout, config), ttl: config.ttl });
      return {
        get: (id) => cache.wrap(userKey(id), () => config.load(id)),
        close: async () => {
          await cache.disconnect();
        },
      };
    },
  };
}

/** Every cache-manager variant, by layout. */
export const cacheManager: Variant[] = (['memory', 'two-tier', 'l2'] as const).map(variant);
