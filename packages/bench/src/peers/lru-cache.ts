/** lru-cache `fetch()` (memory only): a bounded LRU with a `fetchMethod`, which dedupes fetches in flight. */
import { LRUCache } from 'lru-cache';
import { type User, userKey } from '../fixtures.js';
import { noop, type Variant } from './types.js';

/** The lru-cache variant. */
export const lruCacheVariants: Variant[] = [
  {
    name: 'lru-cache fetch()',
    library: 'lru-cache',
    layout: 'memory',
    create(config) {
      const lru = new LRUCache<string, User, number>({
        max: config.capacity,
        ttl: config.ttl,
        fetchMethod: (_key, _stale, { context }) => config.load(context),
      });
      return { get: async (id) => (await lru.fetch(userKey(id), { context: id }))!, close: noop };
    },
  },
];
