/**
 * The public contracts of `@cachet/core`: what a bus, a lock and a serializer must do to plug into a
 * {@link Cache}, and the shapes of the engine's events and stats.
 */

/**
 * A duration: milliseconds as a number, or a string with a unit such as `'500ms'`, `'30s'`, `'5m'`,
 * `'1h'`, `'1d'` (several may be combined: `'1h30m'`).
 */
export type Duration =
  | number
  | `${number}${DurationUnit}`
  | `${number}${DurationUnit}${number}${DurationUnit}`
  | `${number}${DurationUnit}${number}${DurationUnit}${number}${DurationUnit}`;

/** The units a {@link Duration} string may use. */
export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

/**
 * What the engine stores for every entry, in L1 and L2. Keeping times beside the value is what makes
 * `null`/`undefined` cacheable, stale-while-revalidate and grace possible, and tags checkable on any
 * store.
 */
export interface Envelope<T = unknown> {
  /** The value as the loader returned it. */
  v: T;
  /** When the entry was created (epoch ms); compared with tag invalidation times. */
  c: number;
  /** Soft expiry (epoch ms): past it the entry is stale. */
  s: number;
  /** Hard expiry (epoch ms): past it the entry is gone, grace included. */
  h: number;
  /** Tags the entry carries, if any. */
  t?: string[];
  /** From when (epoch ms) a hit may refresh the entry early (refresh-ahead, XFetch), if enabled. */
  r?: number;
  /** How long the loader took (ms), for XFetch. */
  d?: number;
  /** A cached loader failure (`cacheErrors`) instead of a value. */
  f?: { name: string; message: string; code?: string };
}

/**
 * A message carried between processes by a {@link Bus}: what to drop from every other process's L1.
 * Values never travel on the bus. `namespace` is the sending cache's (`''` without one): a cache acts
 * only on its own namespace's messages, since keys and tags of other namespaces are other entries. A
 * `delete` or `tags` message without one (from an older Cachet, or a bus of your own) is applied by
 * every cache.
 */
export type BusMessage =
  | { kind: 'delete'; origin: string; keys: string[]; namespace?: string }
  | { kind: 'tags'; origin: string; tags: string[]; at: number; namespace?: string }
  | { kind: 'clear'; origin: string; namespace: string };

/**
 * Carries invalidations between processes so that every process's L1 stays coherent with L2.
 * Implementations: `RedisBus` in `@cachet/redis`.
 */
export interface Bus {
  /** Sends a message to every process subscribed to the same channel (the sender may receive it too). */
  publish(message: BusMessage): Promise<void>;
  /** Registers the handler for incoming messages; the cache calls it once, before any publish. */
  subscribe(handler: (message: BusMessage) => void): Promise<void>;
  /** Registers a handler run after the bus reconnects, when messages may have been missed. */
  onReconnect?(handler: () => void): void;
  /** Closes the bus's connections. */
  disconnect(): Promise<void>;
}

/** A held distributed lock. */
export interface LockHandle {
  /** Releases the lock if this holder still owns it. */
  release(): Promise<void>;
  /** Extends the lock by `ttl` ms if this holder still owns it; resolves whether it did. */
  extend(ttl: number): Promise<boolean>;
}

/** Options of {@link Lock.acquire}. */
export interface LockAcquireOptions {
  /** How long the lock lives if its holder dies without releasing it, in ms. */
  ttl: number;
  /** How long to wait for a lock held by someone else, in ms. */
  wait: number;
}

/**
 * A lock across processes, so that one loader per key runs in a whole cluster of processes.
 * Implementations: `RedisLock` in `@cachet/redis`.
 */
export interface Lock {
  /** Acquires the lock named `key`; resolves `undefined` when it could not within `options.wait`. */
  acquire(key: string, options: LockAcquireOptions): Promise<LockHandle | undefined>;
  /** Closes the lock's connections, if it has any. */
  disconnect?(): Promise<void>;
}

/** Turns envelopes into strings for L2 and back. */
export interface Serializer {
  /** Encodes a value; throws a `SerializationError` for what it cannot encode. */
  serialize(value: unknown): string;
  /** Decodes what {@link Serializer.serialize} produced. */
  deserialize(text: string): unknown;
}

/** Which layer answered a hit. */
export type CacheLayer = 'memory' | 'store';

/** The events a {@link Cache} emits and their payloads. */
export interface CacheEvents {
  /** A lookup found a live entry. `stale` is true when a stale value was served (grace). */
  hit: { key: string; layer: CacheLayer; stale: boolean };
  /** A lookup found nothing usable. */
  miss: { key: string };
  /** An entry was written. */
  set: { key: string; tags?: string[] };
  /** Entries were removed, by key, tag or clear. */
  delete: { keys?: string[]; tags?: string[]; clear?: boolean };
  /** A store, bus, lock or serializer failed; the caller was not broken by it. */
  error: { error: Error; operation: string; key?: string };
}

/** The counters of {@link Cache.stats}. */
export interface CacheStats {
  /** Lookups answered from the cache (fresh or stale). */
  hits: number;
  /** Lookups that found nothing usable. */
  misses: number;
  /** Hits served from L1. */
  memoryHits: number;
  /** Hits served from L2. */
  storeHits: number;
  /** Stale values served (grace). */
  staleHits: number;
  /** Writes. */
  sets: number;
  /** Deletions, tag invalidations and clears. */
  deletes: number;
  /** Loader runs. */
  loads: number;
  /** Errors reported through the `error` event. */
  errors: number;
  /** Entries in L1 now. */
  memoryEntries: number;
}
