import type { PolicyName } from './eviction-policy.js';

/** Why an entry left a {@link MemoryStore}: evicted for room, expired, or deleted by the user. */
export type EvictionReason = 'size' | 'expired' | 'deleted';

/** Called after an entry left the store; `reason` says why. Must not throw. */
export type EvictListener<V> = (key: string, value: V, reason: EvictionReason) => void;

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions<V = unknown> {
  /**
   * Most entries held: an integer ≥ 1, or `Infinity` when `maxSize` bounds the store. Default 10,000
   * when `maxSize` is not set, else unbounded by count.
   */
  maxEntries?: number;
  /**
   * Most total size held, in the units `sizeOf` returns (bytes by default). Default: none. An entry
   * larger than `maxSize` on its own is refused (and any older value under its key removed).
   */
  maxSize?: number;
  /** Size of one entry, for `maxSize`: a number ≥ 0. Default: an estimate of its heap bytes. */
  sizeOf?: (value: V, key: string) => number;
  /** Eviction policy; default `'tinylfu'` (W-TinyLFU), the best hit ratio on most workloads. */
  policy?: PolicyName;
  /** Time to live of entries set without one, in milliseconds; `0` (the default) means no expiry. */
  ttl?: number;
  /** Called whenever an entry leaves the store (same as `store.on('evict', listener)`). */
  onEvict?: EvictListener<V>;
  /**
   * `'tinylfu'` only: fixes the seed of the frequency sketch's hash and of its random admission, for
   * reproducible benchmarks and tests. Default random, which is what resists hash flooding: leave it
   * unset in production.
   */
  seed?: number;
}

/** Counters of a {@link MemoryStore} since it was created. */
export interface MemoryStoreStats {
  /** `get` calls that found a live entry. */
  hits: number;
  /** `get` calls that found nothing, or an expired entry. */
  misses: number;
  /** Entries that left the store, by reason. */
  evictions: Record<EvictionReason, number>;
}

/** Options checked, with defaults applied. */
export interface ResolvedOptions<V> {
  maxEntries: number;
  maxSize: number;
  sizeOf: ((value: V, key: string) => number) | undefined;
  policy: PolicyName;
  ttl: number;
  seed: number | undefined;
}

/** Checks `options` and applies the defaults; throws a `TypeError` naming the option and the fix. */
export function resolveOptions<V>(options: MemoryStoreOptions<V>): ResolvedOptions<V> {
  const { maxSize, sizeOf, ttl = 0, policy = 'tinylfu' } = options;
  const maxEntries = options.maxEntries ?? (maxSize === undefined ? 10_000 : Infinity);
  if (maxEntries !== Infinity && !(Number.isInteger(maxEntries) && maxEntries >= 1)) {
    fail(`maxEntries must be an integer ≥ 1 (or Infinity with maxSize), got ${maxEntries}`);
  }
  if (maxSize !== undefined && !(maxSize > 0 && Number.isFinite(maxSize))) {
    fail(`maxSize must be a finite number > 0, got ${maxSize}`);
  }
  if (maxEntries === Infinity && maxSize === undefined) {
    fail('maxEntries: Infinity needs a maxSize; an unbounded cache is a memory leak. Set either');
  }
  if (sizeOf !== undefined && typeof sizeOf !== 'function') fail('sizeOf must be a function');
  if (sizeOf !== undefined && maxSize === undefined) fail('sizeOf is only used with maxSize: set maxSize');
  if (policy !== 'lru' && policy !== 'lfu' && policy !== 'tinylfu') {
    fail(`policy must be 'lru', 'lfu' or 'tinylfu', got ${String(policy)}`);
  }
  if (!(ttl >= 0 && Number.isFinite(ttl))) fail(`ttl must be a finite number of ms ≥ 0, got ${ttl}`);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) fail('seed must be an integer');
  return { maxEntries, maxSize: maxSize ?? Infinity, sizeOf, policy, ttl, seed: options.seed };
}

function fail(message: string): never {
  throw new TypeError(`MemoryStore: ${message}`);
}
