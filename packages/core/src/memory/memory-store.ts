import { type EvictionPolicy, type PolicyName, RESERVED_SLOTS } from './eviction-policy.js';
import { ExpiryWheel } from './expiry-wheel.js';
import {
  type EvictionReason,
  type EvictListener,
  type MemoryStoreOptions,
  type MemoryStoreStats,
  resolveOptions,
} from './memory-store-options.js';
import { LfuPolicy } from './policies/lfu.js';
import { LruPolicy } from './policies/lru.js';
import { TinyLfuPolicy } from './policies/tinylfu.js';
import { estimateSize } from './size-of.js';
import { growArray, growList } from './typed-array.js';

export type { EvictionPolicy, PolicyName } from './eviction-policy.js';
export type { EvictionReason, EvictListener, MemoryStoreOptions, MemoryStoreStats };

/** Slots allocated at first; the arrays double from there up to the bound. */
const INITIAL_CAPACITY = 256;

/**
 * An in-process, bounded, Map-like store with LRU, LFU or W-TinyLFU eviction and per-entry TTL. It is
 * the L1 of every `Cache`, and a Keyv store: `new Keyv({ store: new MemoryStore() })` (Keyv 5 and 6).
 *
 * Built like lru-cache: a `Map` from key to slot, keys and values in arrays indexed by slot, the
 * policy's order and the expiry times in typed arrays indexed by slot, freed slots reused. No object
 * is allocated per entry. Every operation but `clear` and iteration is O(1); expired entries are
 * reclaimed by a timer wheel advanced on writes, and on read when they are met (lazily).
 *
 * @example
 * ```ts
 * const store = new MemoryStore<User>({ maxEntries: 50_000 });   // W-TinyLFU by default
 * store.set('user:42', user, 60_000);                              // expires in a minute
 * store.get('user:42');                                            // user, or undefined
 * const bytes = new MemoryStore<string>({ maxSize: 64 * 1024 ** 2, policy: 'lru' });
 * ```
 */
export class MemoryStore<V = unknown> implements Iterable<[string, V]> {
  /** Set by Keyv 5 on the store it is given; the store itself ignores it. */
  namespace: string | undefined = undefined;
  /** Key → slot of every entry held (expired ones included until reclaimed). */
  #index = new Map<string, number>();
  /** Key of each slot (`undefined` for free and reserved slots); as long as the typed arrays. */
  #keys: (string | undefined)[];
  /** Value of each slot. */
  #values: (V | undefined)[];
  /** Slots freed by removals, reused first. */
  #free: number[] = [];
  /** The next never-used slot id. */
  #nextSlot = RESERVED_SLOTS;
  /** Length of the typed arrays (slot ids below it are valid). */
  #capacity: number;
  /** Most slot ids ever needed: reserved + maxEntries + 1 (an entry is inserted before the eviction). */
  #slotLimit: number;
  /** Decides what to evict. */
  #policy: EvictionPolicy;
  /** The entry bound. */
  #maxEntries: number;
  /** The size bound (`Infinity` when off). */
  #maxSize: number;
  /** Size of an entry, when `maxSize` is set. */
  #sizeOf: (value: V, key: string) => number;
  /** Size of each slot's entry; `null` when `maxSize` is off (then sizes cost nothing). */
  #sizes: Float64Array | null = null;
  /** Sum of the sizes held. */
  #totalSize = 0;
  /** TTL of entries set without one (ms; 0 = none). */
  #ttl: number;
  /** Files entries by expiry; `null` until the first entry with a TTL (then TTLs cost nothing). */
  #wheel: ExpiryWheel | null = null;
  /** `#wheel.expires`, aliased for the read path; `null` while no entry ever had a TTL. */
  #expires: Float64Array | null = null;
  /** Evict listeners; `null` when there are none. */
  #listeners: EvictListener<V>[] | null = null;
  /** `get` calls that found a live entry. */
  #hits = 0;
  /** `get` calls that found nothing or an expired entry. */
  #misses = 0;
  /** Entries gone, by reason. */
  #evictions: Record<EvictionReason, number> = { size: 0, expired: 0, deleted: 0 };

  /** @throws TypeError when an option is invalid (the message names it and the fix). */
  constructor(options: MemoryStoreOptions<V> = {}) {
    const resolved = resolveOptions(options);
    this.#maxEntries = resolved.maxEntries;
    this.#maxSize = resolved.maxSize;
    this.#sizeOf = resolved.sizeOf ?? estimateSize;
    this.#ttl = resolved.ttl;
    this.#slotLimit = RESERVED_SLOTS + this.#maxEntries + 1;
    this.#capacity = Math.min(INITIAL_CAPACITY, this.#slotLimit);
    this.#keys = new Array(this.#capacity).fill(undefined);
    this.#values = new Array(this.#capacity).fill(undefined);
    this.#policy = createPolicy(resolved.policy, this.#capacity, this.#maxEntries, resolved.seed);
    if (this.#maxSize !== Infinity) this.#sizes = new Float64Array(this.#capacity);
    if (options.onEvict) this.on('evict', options.onEvict);
  }

  /** Number of entries held, including expired ones not reclaimed yet. */
  get size(): number {
    return this.#index.size;
  }

  /** The value under `key`, or `undefined` when absent or expired; counts as a use for eviction. */
  get(key: string): V | undefined {
    const slot = this.#index.get(key);
    if (slot === undefined) {
      this.#misses++;
      return undefined;
    }
    const expires = this.#expires;
    if (expires !== null && expires[slot] !== 0 && expires[slot] <= Date.now()) {
      this.#remove(slot, 'expired');
      this.#misses++;
      return undefined;
    }
    this.#policy.access(slot);
    this.#hits++;
    return this.#values[slot];
  }

  /** The value under `key` like `get`, without counting a use or a hit. */
  peek(key: string): V | undefined {
    const slot = this.#index.get(key);
    return slot === undefined || this.#isExpired(slot) ? undefined : this.#values[slot];
  }

  /** Whether a live entry is under `key` (does not count as a use). */
  has(key: string): boolean {
    const slot = this.#index.get(key);
    if (slot === undefined) return false;
    if (!this.#isExpired(slot)) return true;
    this.#remove(slot, 'expired');
    return false;
  }

  /**
   * Stores `value` under `key`, then evicts entries while over a bound.
   * @param ttl milliseconds to live; `undefined` for the store's `ttl` option, `0` for no expiry.
   */
  set(key: string, value: V, ttl: number = this.#ttl): this {
    let size = 0;
    if (this.#sizes !== null) {
      size = this.#sizeOf(value, key);
      if (!(size <= this.#maxSize)) return this.#refuse(key, size);
    }
    let slot = this.#index.get(key);
    if (slot === undefined) {
      slot = this.#allocate();
      this.#index.set(key, slot);
      this.#keys[slot] = key;
      this.#values[slot] = value;
      this.#policy.insert(slot, key);
    } else {
      this.#values[slot] = value;
      this.#policy.access(slot);
    }
    const now = ttl > 0 || this.#expires !== null ? this.#expire(slot, ttl) : 0;
    if (this.#sizes !== null) {
      this.#totalSize += size - this.#sizes[slot];
      this.#sizes[slot] = size;
      while (this.#totalSize > this.#maxSize) this.#evict();
    }
    if (this.#index.size > this.#maxEntries) this.#evict();
    // Last, because reclaiming expired entries calls listeners, which may write to the store.
    if (now !== 0) this.#wheel!.advance(now);
    return this;
  }

  /** Removes the entry under `key`; whether there was one. */
  delete(key: string): boolean {
    const slot = this.#index.get(key);
    if (slot === undefined) return false;
    this.#remove(slot, 'deleted');
    return true;
  }

  /** Removes every entry (each is reported to evict listeners as `'deleted'`). */
  clear(): void {
    if (this.#listeners !== null) {
      for (const [key, slot] of this.#index) this.#emit(key, this.#values[slot] as V, 'deleted');
    }
    this.#evictions.deleted += this.#index.size;
    this.#index.clear();
    this.#keys.fill(undefined);
    this.#values.fill(undefined);
    this.#free = [];
    this.#nextSlot = RESERVED_SLOTS;
    this.#policy.clear();
    this.#wheel?.clear();
    this.#sizes?.fill(0);
    this.#totalSize = 0;
  }

  /** Reclaims the entries whose TTL passed (writes do this too, so calling it is rarely needed). */
  purgeExpired(): void {
    this.#wheel?.advance(Date.now());
  }

  /** Keys of the live entries, in no particular order. */
  *keys(): IterableIterator<string> {
    for (const [key, slot] of this.#index) if (!this.#isExpired(slot)) yield key;
  }

  /** Values of the live entries, in the order of `keys()`. */
  *values(): IterableIterator<V> {
    for (const slot of this.#index.values()) if (!this.#isExpired(slot)) yield this.#values[slot] as V;
  }

  /** `[key, value]` pairs of the live entries, in the order of `keys()`. */
  *entries(): IterableIterator<[string, V]> {
    for (const [key, slot] of this.#index) {
      if (!this.#isExpired(slot)) yield [key, this.#values[slot] as V];
    }
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  /** Counters since creation: hits, misses, and entries gone by reason. */
  stats(): MemoryStoreStats {
    return { hits: this.#hits, misses: this.#misses, evictions: { ...this.#evictions } };
  }

  /**
   * Calls `listener(key, value, reason)` after each entry leaves the store. Other event names are
   * accepted and ignored (Keyv subscribes to `'error'`, which this store never emits).
   */
  on(event: 'evict' | (string & {}), listener: EvictListener<V>): this {
    if (event === 'evict') (this.#listeners ??= []).push(listener);
    return this;
  }

  /** Removes a listener added with `on`. */
  off(event: 'evict' | (string & {}), listener: EvictListener<V>): this {
    if (event !== 'evict' || this.#listeners === null) return this;
    const remaining = this.#listeners.filter((fn) => fn !== listener);
    this.#listeners = remaining.length > 0 ? remaining : null;
    return this;
  }

  /** Whether the entry in `slot` is past its TTL. */
  #isExpired(slot: number): boolean {
    const expires = this.#expires;
    return expires !== null && expires[slot] !== 0 && expires[slot] <= Date.now();
  }

  /** Files or unfiles the entry in `slot` on the timer wheel; returns the time it used. */
  #expire(slot: number, ttl: number): number {
    const now = Date.now();
    if (this.#wheel === null) {
      this.#wheel = new ExpiryWheel(this.#capacity, now, (expired) => this.#remove(expired, 'expired'));
      this.#expires = this.#wheel.expires;
    }
    if (ttl > 0 && ttl !== Infinity) this.#wheel.schedule(slot, now + ttl);
    else if (this.#wheel.expires[slot] !== 0) this.#wheel.unschedule(slot);
    return now;
  }

  /** Evicts the policy's victim. */
  #evict(): void {
    const slot = this.#policy.evict();
    if (slot !== 0) this.#release(slot, 'size');
  }

  /** Removes the entry in `slot` for a reason of the store's own. */
  #remove(slot: number, reason: EvictionReason): void {
    this.#policy.remove(slot);
    this.#release(slot, reason);
  }

  /** Forgets the entry in `slot` (already unlinked from the policy) and frees the slot. */
  #release(slot: number, reason: EvictionReason): void {
    const key = this.#keys[slot] as string;
    const value = this.#values[slot] as V;
    this.#index.delete(key);
    this.#keys[slot] = undefined;
    this.#values[slot] = undefined;
    if (this.#expires !== null && this.#expires[slot] !== 0) this.#wheel!.unschedule(slot);
    if (this.#sizes !== null) {
      this.#totalSize -= this.#sizes[slot];
      this.#sizes[slot] = 0;
    }
    this.#free.push(slot);
    this.#evictions[reason]++;
    if (this.#listeners !== null) this.#emit(key, value, reason);
  }

  /** Refuses an entry larger than `maxSize` on its own: the old value under its key must go too. */
  #refuse(key: string, size: number): this {
    if (!(size >= 0)) {
      throw new TypeError(`MemoryStore: sizeOf returned ${size} for key "${key}"; return a number ≥ 0`);
    }
    const slot = this.#index.get(key);
    if (slot !== undefined) this.#remove(slot, 'size');
    return this;
  }

  /** A free slot id, growing the arrays when every slot is taken. */
  #allocate(): number {
    if (this.#free.length !== 0) return this.#free.pop() as number;
    const slot = this.#nextSlot++;
    if (slot >= this.#capacity) {
      this.#capacity = Math.min(this.#capacity * 2, this.#slotLimit);
      this.#policy.grow(this.#capacity);
      this.#keys = growList(this.#keys, this.#capacity);
      this.#values = growList(this.#values, this.#capacity);
      if (this.#sizes !== null) this.#sizes = growArray(this.#sizes, this.#capacity);
      if (this.#wheel !== null) {
        this.#wheel.grow(this.#capacity);
        this.#expires = this.#wheel.expires;
      }
    }
    return slot;
  }

  /** Calls the evict listeners. */
  #emit(key: string, value: V, reason: EvictionReason): void {
    for (const listener of this.#listeners as EvictListener<V>[]) listener(key, value, reason);
  }
}

/** The policy called `name`, for slot ids below `capacity`, bounded to `maxEntries`. */
function createPolicy(name: PolicyName, capacity: number, maxEntries: number, seed?: number): EvictionPolicy {
  if (name === 'lru') return new LruPolicy(capacity);
  if (name === 'lfu') return new LfuPolicy(capacity);
  return new TinyLfuPolicy(capacity, maxEntries === Infinity ? 0 : maxEntries, seed);
}
