import type Keyv from 'keyv';
import type { KeyvStoreAdapter } from 'keyv';
import { parseDuration } from './duration.js';
import type { MemoryStore, MemoryStoreOptions } from './memory/memory-store.js';
import type { Bus, Duration, Lock, Serializer } from './types.js';

/**
 * The least a `store` must have: what Keyv itself needs of one. Keyv store adapters, `Keyv` instances of
 * either major and Map-like stores all have it; a store factory not called (`store: redisStore`) does
 * not, so that mistake fails to compile.
 */
export interface StoreLike {
  get(key: string): unknown;
  set(key: string, value: any, ttl?: number): unknown;
  delete(key: string): unknown;
}

/** Options of a {@link Cache}. Every duration is milliseconds or a string such as `'5m'`. */
export interface CacheOptions extends EntryOptions {
  /**
   * L2: any Keyv store (`redisStore(...)`, `memcacheStore(...)`, your own), or a `Keyv` instance.
   * Default: none, memory only. Cachet sets `throwOnErrors` on a Keyv 5 instance so it sees failures.
   */
  store?: Keyv | KeyvStoreAdapter | StoreLike;
  /**
   * L1, the in-process memory store: its options, a `MemoryStore` to use, or `false` for none.
   * Default: `{ maxEntries: 10_000, policy: 'tinylfu' }`; with `maxSize` and no `maxEntries`, bounded by
   * size alone, as a `MemoryStore` is.
   */
  memory?: MemoryStoreOptions | MemoryStore | false;
  /** Carries invalidations to other processes so their L1 stays coherent (`RedisBus`). Default: none. */
  bus?: Bus;
  /** A lock across processes, so one loader runs per key in the whole cluster (`RedisLock`). Default: none. */
  lock?: Lock;
  /** Prefix of every key this cache writes to L2, e.g. `'app'` gives `app:user:1`. Default: none. */
  namespace?: string;
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

/** Settings that apply per entry: given on the cache, and overridable per call and per decorator. */
export interface EntryOptions {
  /** How long the value stays fresh: ms or `'5m'`, more than 0 (`Infinity`: never expires). Default 5 minutes. */
  ttl?: Duration;
  /**
   * How long past the TTL an entry is kept to stand in for a failing or slow loader (and, with
   * `staleWhileRevalidate`, to be served while it refreshes). Default `false`: nothing past the TTL.
   */
  grace?: Duration | false;
  /** Serve a stale value (inside grace) at once and refresh it in the background. Default false. */
  staleWhileRevalidate?: boolean;
  /**
   * Loader timeouts. `soft`: past it, a caller that has a stale value gets it while the loader goes on
   * and writes its result when done. `hard`: past it, the caller gets a `LoaderTimeoutError` (or the
   * stale value, if any), and the loader's eventual result is still cached. Default: none.
   */
  timeout?: { soft?: Duration; hard?: Duration };
  /**
   * Refresh a hot entry in the background once this fraction of its TTL has passed (0 < f < 1), so
   * that callers never wait for its expiry. E.g. `0.8`: a hit after 80% of the TTL starts a refresh.
   */
  refreshAhead?: number;
  /**
   * Probabilistic early expiration (XFetch, Vattani et al., VLDB 2015): each hit refreshes early with
   * a probability that grows as expiry nears and with how long the loader took, so that processes
   * sharing a hot key do not all refresh at once. `true` for `beta` 1; larger refreshes earlier.
   */
  earlyExpiration?: boolean | { beta?: number };
  /**
   * Whether `null`/`undefined` results are cached: `true` (default) with the entry's TTL, `{ ttl }`
   * with their own (negative caching), `false` not at all.
   */
  cacheNull?: boolean | { ttl: Duration };
  /**
   * Cache a loader's error for `ttl` so that a failing origin is not called on every request; callers
   * get the error again (`CachedLoaderError`, with the message and code) until it expires. Default off.
   */
  cacheErrors?: false | { ttl: Duration };
}

/** Options of one {@link Cache.getOrSet} call; they override the cache's. */
export interface GetOrSetOptions extends EntryOptions {
  /** Tags to invalidate the entry by. */
  tags?: readonly string[];
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
  /** Fraction of the TTL after which a hit refreshes in the background; 0 for never. */
  refreshAhead: number;
  /** XFetch's beta; 0 for no probabilistic early expiration. */
  beta: number;
  /** TTL of `null`/`undefined` results; `-1` to not cache them. */
  nullTtl: number;
  /** TTL of cached loader errors; 0 to not cache them. */
  errorTtl: number;
  /** Decides after the load whether its result is kept out of the cache (a decorator's `unless`). */
  unless?: (value: unknown, args: readonly unknown[]) => boolean;
}

const DEFAULT_TTL = 5 * 60_000;
const ENTRY_KEYS = [
  'ttl',
  'grace',
  'staleWhileRevalidate',
  'timeout',
  'refreshAhead',
  'earlyExpiration',
  'cacheNull',
  'cacheErrors',
] as const;

/** The cache-wide defaults of {@link Policy}, from the cache's options. */
export function basePolicy(options: CacheOptions): Policy {
  const ttl = ttlOf(options.ttl ?? DEFAULT_TTL);
  return resolvePolicy(options, {
    ttl,
    grace: 0,
    swr: false,
    soft: 0,
    hard: 0,
    refreshAhead: 0,
    beta: 0,
    nullTtl: ttl,
    errorTtl: 0,
  });
}

/** `base` overridden by one call's options; `base` itself when they override nothing. */
export function policyFor(base: Policy, options: EntryOptions | undefined): Policy {
  if (options === undefined) return base;
  for (const key of ENTRY_KEYS) if (options[key] !== undefined) return resolvePolicy(options, base);
  return base;
}

function resolvePolicy(o: EntryOptions, base: Policy): Policy {
  const ttl = o.ttl === undefined ? base.ttl : ttlOf(o.ttl);
  const cacheNull = o.cacheNull;
  return {
    ttl,
    grace: o.grace === undefined ? base.grace : o.grace === false ? 0 : parseDuration(o.grace, 'grace'),
    swr: o.staleWhileRevalidate ?? base.swr,
    soft: o.timeout?.soft === undefined ? base.soft : parseDuration(o.timeout.soft, 'timeout.soft'),
    hard: o.timeout?.hard === undefined ? base.hard : parseDuration(o.timeout.hard, 'timeout.hard'),
    refreshAhead: o.refreshAhead === undefined ? base.refreshAhead : fractionOf(o.refreshAhead),
    beta: o.earlyExpiration === undefined ? base.beta : betaOf(o.earlyExpiration),
    nullTtl:
      cacheNull === undefined
        ? o.ttl === undefined || base.nullTtl !== base.ttl
          ? base.nullTtl
          : ttl
        : cacheNull === false
          ? -1
          : cacheNull === true
            ? ttl
            : ttlOf(cacheNull.ttl, 'cacheNull.ttl'),
    errorTtl:
      o.cacheErrors === undefined
        ? base.errorTtl
        : o.cacheErrors === false
          ? 0
          : ttlOf(o.cacheErrors.ttl, 'cacheErrors.ttl'),
    unless: base.unless,
  };
}

function ttlOf(value: Duration, option = 'ttl'): number {
  const ms = parseDuration(value, option);
  if (ms <= 0)
    throw new TypeError(`${option} must be more than 0; use Infinity for entries that never expire`);
  return ms;
}

function fractionOf(value: number): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new TypeError(
      `refreshAhead must be a fraction of the TTL between 0 and 1 (e.g. 0.8), got ${value}`,
    );
  }
  return value;
}

function betaOf(value: boolean | { beta?: number }): number {
  if (value === false) return 0;
  if (value === true) return 1;
  const beta = value.beta ?? 1;
  if (!(beta > 0) || !Number.isFinite(beta)) {
    throw new TypeError(
      `earlyExpiration.beta must be a positive number (1 is the usual choice), got ${beta}`,
    );
  }
  return beta;
}
