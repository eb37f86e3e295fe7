import { MemoryStore } from '@cachet/core';
import { TTLCache } from '@isaacs/ttlcache';
import { LRUCache } from 'lru-cache';
import { LRUCache as MnemonistLru } from 'mnemonist';
import QuickLRU from 'quick-lru';

/** The two operations every benchmarked cache offers. */
export interface BenchCache {
  get(key: string): unknown;
  set(key: string, value: unknown): unknown;
}

/** A cache under test: a name and a factory for a given capacity. */
export interface Peer {
  name: string;
  create(capacity: number): BenchCache;
  /** False for a cache whose eviction at capacity is too slow to benchmark (it is timed on hits only). */
  evicts?: boolean;
}

/** The baseline every ratio is relative to. */
export const BASELINE = 'lru-cache';

/** Cachet's store under each policy, and the peers, all bounded by entry count. */
export const peers: Peer[] = [
  { name: BASELINE, create: (max) => new LRUCache<string, object>({ max }) as BenchCache },
  { name: 'cachet lru', create: (maxEntries) => new MemoryStore({ maxEntries, policy: 'lru' }) },
  { name: 'cachet tinylfu', create: (maxEntries) => new MemoryStore({ maxEntries, policy: 'tinylfu' }) },
  { name: 'cachet lfu', create: (maxEntries) => new MemoryStore({ maxEntries, policy: 'lfu' }) },
  { name: 'mnemonist LRUCache', create: (capacity) => new MnemonistLru<string, unknown>(capacity) },
  // quick-lru holds between maxSize and 2 × maxSize entries: given half, it holds about as many.
  { name: 'quick-lru', create: (capacity) => new QuickLRU<string, unknown>({ maxSize: capacity }) },
  // A TTL cache, not an LRU: at `max` it drops the soonest-expiring entry, which is O(n) when entries
  // share an expiry (~9 µs per set at 1k entries, and `ttl: Infinity` never finishes): hits only.
  {
    name: '@isaacs/ttlcache',
    create: (max) => new TTLCache<string, unknown>({ max, ttl: 3_600_000 }),
    evicts: false,
  },
];
