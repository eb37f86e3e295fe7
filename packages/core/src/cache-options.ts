import type Keyv from 'keyv';
import type { KeyvStoreAdapter } from 'keyv';
import { durationOr, parseDuration } from './duration.js';
import type { MemoryStore, MemoryStoreOptions } from './memory/memory-store.js';
import type { Bus, Duration, Lock, Serializer } from './types.js';

/** Options of a {@link Cache}. Every duration is milliseconds or a string such as `'5m'`. */
export interface CacheOptions {
  /**
   * L2: any Keyv store (`redisStore(...)`, `memcacheStore(...)`, your own), or a `Keyv` instance.
   * Default: none, memory only. Cachet sets `throwOnErrors` on a Keyv 5 instance so it sees failures.
   */
  store?: Keyv | KeyvStoreAdapter | object;
  /**
   * L1, the in-process memory store: its options, a `MemoryStore` to use, or `false` for none.
   * Default: `{ maxEntries: 10_000, policy: 'tinylfu' }`.
   */
  memory?: MemoryStoreOptions | MemoryStore | false;
  /** Carries invalidations to other processes so their L1 stays coherent (`RedisBus`). Default: none. */
  bus?: Bus;
  /** A lock across processes, so one loader runs per key in the whole cluster (`RedisLock`). Default: none. */
  lock?: Lock;
  /** Prefix of every key this cache writes to L2, e.g. `'app'` gives `app:user:1`. Default: none. */
  namespace?: string;
  /** How long entries stay fresh; default 5 minutes. */
  ttl?: Duration;
  /**
   * How long an expired entry is kept to stand in when the loader fails or is slow; `false` (the
   * default) keeps nothing past the TTL.
   */
  grace?: Duration | false;
  /** Serve an expired entry inside its grace at once and refresh it in the background. Default false. */
  staleWhileRevalidate?: boolean;
  /**
   * Loader timeouts. `soft`: past it, a caller that has a stale value gets it while the loader goes on
   * and writes its result when done. `hard`: past it, the caller gets a `LoaderTimeoutError` (or the
   * stale value, if any). Default: none.
   */
  timeout?: { soft?: Duration; hard?: Duration };
  /** Longest wait for one L2 call before it counts as failed; default 500 ms. */
  storeTimeout?: Duration;
  /**
   * Skip L2 for `duration` after `threshold` consecutive failures; default `{ threshold: 5, duration:
   * '10s' }`; `false` for none.
   */
  breaker?: { threshold?: number; duration?: Duration } | false;
  /** How long a `lock` is held at most if its holder dies, and waited for; default 10 s each. */
  lockTimeout?: Duration;
  /** Turns entries into strings for L2; default: JSON extended with Date, Map, Set, BigInt, bytes, undefined, NaN. */
  serializer?: Serializer;
  /**
   * What a store error does to the caller: `'fail-open'` (default) reports it through the `error` event
   * and carries on (the loader runs); `'throw'` rejects the call.
   */
  onError?: 'fail-open' | 'throw';
}

/** Options of one {@link Cache.getOrSet} call; they override the cache's. */
export interface GetOrSetOptions {
  /** How long the value stays fresh. */
  ttl?: Duration;
  /** Tags to invalidate the entry by. */
  tags?: readonly string[];
  /** How long past the TTL the value may stand in for a failing or slow loader. */
  grace?: Duration | false;
  /** Serve a stale value at once and refresh it in the background. */
  staleWhileRevalidate?: boolean;
  /** Loader timeouts, as in {@link CacheOptions.timeout}. */
  timeout?: { soft?: Duration; hard?: Duration };
}

/** Options of {@link Cache.set}. */
export interface SetOptions {
  /** How long the value stays fresh. */
  ttl?: Duration;
  /** Tags to invalidate the entry by. */
  tags?: readonly string[];
  /** How long past the TTL the value may stand in for a failing or slow loader. */
  grace?: Duration | false;
}

/** The per-entry settings in milliseconds, resolved once. `Infinity` TTL means no expiry. */
export interface Policy {
  ttl: number;
  grace: number;
  swr: boolean;
  /** Soft loader timeout, 0 for none. */
  soft: number;
  /** Hard loader timeout, 0 for none. */
  hard: number;
  /** Decides after the load whether its result is kept out of the cache (a decorator's `unless`). */
  unless?: (value: unknown, args: readonly unknown[]) => boolean;
}

const DEFAULT_TTL = 5 * 60_000;

/** The cache-wide defaults of {@link Policy}, from the cache's options. */
export function basePolicy(options: CacheOptions): Policy {
  return {
    ttl: durationOr(options.ttl, 'ttl', DEFAULT_TTL),
    grace: options.grace === false ? 0 : durationOr(options.grace, 'grace', 0),
    swr: options.staleWhileRevalidate ?? false,
    soft: durationOr(options.timeout?.soft, 'timeout.soft', 0),
    hard: durationOr(options.timeout?.hard, 'timeout.hard', 0),
  };
}

/** `base` overridden by one call's options; `base` itself when they override nothing. */
export function policyFor(base: Policy, options: GetOrSetOptions | SetOptions | undefined): Policy {
  if (options === undefined) return base;
  const o = options as GetOrSetOptions;
  if (
    o.ttl === undefined &&
    o.grace === undefined &&
    o.staleWhileRevalidate === undefined &&
    o.timeout === undefined
  ) {
    return base;
  }
  return {
    ttl: o.ttl === undefined ? base.ttl : parseDuration(o.ttl, 'ttl'),
    grace: o.grace === undefined ? base.grace : o.grace === false ? 0 : parseDuration(o.grace, 'grace'),
    swr: o.staleWhileRevalidate ?? base.swr,
    soft: o.timeout?.soft === undefined ? base.soft : parseDuration(o.timeout.soft, 'timeout.soft'),
    hard: o.timeout?.hard === undefined ? base.hard : parseDuration(o.timeout.hard, 'timeout.hard'),
  };
}
