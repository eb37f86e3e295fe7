/**
 * p-memoize (memory only), given an lru-cache with the same bound and TTL as its cache: its default
 * `Map` never forgets. It dedupes calls in flight by key.
 */
import { LRUCache } from 'lru-cache';
import pMemoize from 'p-memoize';
import { type User, userKey } from '../fixtures.js';
import { noop, type Variant } from './types.js';

/** The p-memoize variant. */
export const pMemoizeVariants: Variant[] = [
  {
    name: 'p-memoize',
    library: 'p-memoize',
    layout: 'memory',
    create(config) {
      const cache = new LRUCache<string, User>({ max: config.capacity, ttl: config.ttl });
      const get = pMemoize(config.load, { cacheKey: ([id]) => userKey(id), cache });
      return { get, close: noop };
    },
  },
];
