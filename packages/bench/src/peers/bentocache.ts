/**
 * bentocache `getOrSet`: its memory driver (an lru-cache inside), memory over its Redis driver (ioredis),
 * and its Redis driver alone. In memory it is given `serialize: false`, its fastest setting, which keeps
 * objects by reference as Cachet's L1 does; over Redis its L1 keeps its default (serialized), as the
 * docs' multi-tier set-up does.
 */
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import { userKey } from '../fixtures.js';
import { type Cached, type Layout, redisOf, type Variant, type VariantConfig } from './types.js';

function storeFor(layout: Layout, config: VariantConfig) {
  const store = bentostore();
  if (layout === 'memory')
    return store.useL1Layer(memoryDriver({ maxItems: config.capacity, serialize: false }));
  const { host, port } = redisOf(config);
  const l2 = redisDriver({ connection: { host, port } });
  if (layout === 'l2') return store.useL2Layer(l2);
  return store.useL1Layer(memoryDriver({ maxItems: config.capacity })).useL2Layer(l2);
}

function variant(layout: Layout): Variant {
  return {
    name: 'bentocache getOrSet',
    library: 'bentocache',
    layout,
    create(config): Cached {
      const bento = new BentoCache({
        default: 'cache',
        prefix: config.prefix,
        ttl: config.ttl,
        stores: { cache: storeFor(layout, config) },
      });
      return {
        get: (id) => bento.getOrSet({ key: userKey(id), factory: () => config.load(id) }),
        close: () => bento.disconnectAll(),
      };
    },
  };
}

/** Every bentocache variant, by layout. */
export const bentocache: Variant[] = (['memory', 'two-tier', 'l2'] as const).map(variant);
