import { randomUUID } from 'node:crypto';
import {
  basePolicy,
  type CacheOptions,
  type EntryOptions,
  type GetOrSetOptions,
  type Policy,
  policyFor,
  type SetOptions,
} from './cache-options.js';
import { durationOr } from './duration.js';
import { coarseNow, tick } from './engine/clock.js';
import { Entries } from './engine/entries.js';
import { Loads, type LoadsContext, type TagSource } from './engine/loads.js';
import { refreshDue } from './engine/run-loader.js';
import { StoreLayer } from './engine/store-layer.js';
import { TagClock } from './engine/tag-clock.js';
import { CachedLoaderError } from './errors.js';
import { Emitter, type Listener } from './events.js';
import { MemoryStore } from './memory/memory-store.js';
import { JsonSerializer } from './serializer.js';
import type { Bus, BusMessage, CacheEvents, CacheStats, Envelope } from './types.js';

const DAY = 86_400_000;
const NO_ARGS: readonly unknown[] = [];

/**
 * The cache engine: an optional in-process L1 (`MemoryStore`) over an optional L2 (any Keyv store),
 * with single-flight loading, tags, grace, timeouts, fail-open store access and cross-process
 * invalidation through a bus.
 *
 * @example
 * ```ts
 * const cache = new Cache({ ttl: '1m' });
 * const user = await cache.getOrSet(`user:${id}`, () => db.users.find(id), { tags: [`user:${id}`] });
 * await cache.invalidateTags([`user:${id}`]);
 * ```
 */
export class Cache {
  /** L1, if any. */
  readonly #memory: MemoryStore<Envelope> | undefined;
  /** L2, if any. */
  readonly #store: StoreLayer | undefined;
  /** Invalidation times of tags and clears known to this process. */
  readonly #tags = new TagClock();
  /** Loads in flight, by key. */
  readonly #loads: Loads;
  /** Reads and writes of entries across the layers. */
  readonly #entries: Entries;
  /** Cache-wide entry settings. */
  readonly #policy: Policy;
  /** Listeners. */
  readonly #events = new Emitter<CacheEvents>();
  /** Counters. */
  readonly #stats = {
    hits: 0,
    misses: 0,
    memoryHits: 0,
    storeHits: 0,
    staleHits: 0,
    sets: 0,
    deletes: 0,
    loads: 0,
    errors: 0,
  };
  /** The bus, if any. */
  readonly #bus: Bus | undefined;
  /** This cache's identity on the bus, to ignore its own messages. */
  readonly #id = randomUUID();
  /** The namespace, for bus clears. */
  readonly #namespace: string;

  constructor(options: CacheOptions = {}) {
    checkOptions(options);
    this.#policy = basePolicy(options);
    this.#namespace = options.namespace ?? '';
    const memory = options.memory;
    if (memory !== false) {
      this.#memory =
        memory instanceof MemoryStore
          ? (memory as MemoryStore<Envelope>)
          : // The store's own defaults: 10,000 entries unless `maxSize` bounds it, W-TinyLFU.
            new MemoryStore<Envelope>(memory);
    }
    const report = (error: Error, operation: string, key?: string) => this.#report(error, operation, key);
    if (options.store !== undefined) {
      const breaker = options.breaker;
      this.#store = new StoreLayer(options.store, {
        prefix: options.namespace ? `${options.namespace}:` : '',
        serializer: options.serializer ?? new JsonSerializer(),
        timeout: durationOr(options.storeTimeout, 'storeTimeout', 500),
        breaker:
          breaker === false
            ? false
            : {
                threshold: breaker?.threshold ?? 5,
                duration: durationOr(breaker?.duration, 'breaker.duration', 10_000),
              },
        throwErrors: options.onError === 'throw',
        report,
      });
    }
    const context: LoadsContext = {
      memory: this.#memory,
      store: this.#store,
      tags: this.#tags,
      lock: options.lock,
      lockTimeout: durationOr(options.lockTimeout, 'lockTimeout', 10_000),
      lockPrefix: options.namespace ? `${options.namespace}:` : '',
      stats: this.#stats,
      events: this.#events,
      report,
    };
    this.#entries = new Entries(context);
    this.#loads = new Loads(context, this.#entries);
    this.#bus = options.bus;
    if (this.#bus !== undefined) this.#listen(this.#bus);
    // A store that reports writes to the tag and clear times keeps them current as a bus does.
    const tags = this.#tags;
    this.#store?.follow({
      on: () => tags.followStore(true),
      off: () => tags.followStore(false),
      tag: (tag) => tags.forget(tag),
      clear: () => tags.forgetClear(),
    });
  }

  /**
   * Returns the cached value of `key`, or runs `loader` once (however many callers ask at once), caches
   * its result and returns it. `null` and `undefined` results are cached; thrown errors are not.
   */
  getOrSet<T>(key: string, loader: () => T | Promise<T>, options?: GetOrSetOptions): Promise<T> {
    let policy: Policy;
    try {
      policy = policyFor(this.#policy, options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.fetch(key, options?.tags, policy, loader, undefined, NO_ARGS);
  }

  /**
   * The engine's entry point for decorators: like {@link Cache.getOrSet}, with the loader given as a
   * function, its `this` and its arguments, so that a hit allocates no closure.
   * @internal
   */
  fetch<T>(
    key: string,
    tags: TagSource,
    policy: Policy,
    fn: (...args: any[]) => T | Promise<T>,
    self: unknown,
    args: readonly unknown[],
  ): Promise<T> {
    const envelope = this.#memory?.get(key);
    if (envelope !== undefined) {
      const now = coarseNow();
      if (envelope.s > now && (this.#tags.empty || this.#tags.alive(envelope))) {
        this.#entries.hit(key, 'memory');
        if (envelope.f !== undefined) return Promise.reject(new CachedLoaderError(envelope.f));
        if (envelope.r !== undefined && envelope.r <= now && refreshDue(envelope, policy, now)) {
          this.#loads.refresh(key, envelope, tags, policy, { fn, self, args });
        }
        return Promise.resolve(envelope.v as T);
      }
    }
    return this.#loads.load(key, tags, policy, fn, self, args, envelope);
  }

  /** The policy of a call with `options` (for decorators, which resolve it once). @internal */
  policy(options?: EntryOptions): Policy {
    return policyFor(this.#policy, options);
  }

  /** Returns the fresh cached value of `key`, or `undefined` on a miss. */
  async get<T = unknown>(key: string): Promise<T | undefined> {
    const envelope = await this.#entries.lookup(key);
    if (envelope === undefined || envelope.s <= Date.now() || envelope.f !== undefined) {
      this.#stats.misses++;
      if (this.#events.has('miss')) this.#events.emit('miss', { key });
      return undefined;
    }
    return envelope.v as T;
  }

  /** Caches `value` under `key`; other processes drop their L1 copy. A load in flight for `key` is not written back. */
  async set<T>(key: string, value: T, options?: SetOptions): Promise<void> {
    this.#loads.invalidateKey(key);
    await this.#entries.write(key, value, tick(), options?.tags, policyFor(this.#policy, options));
    await this.#publish({ kind: 'delete', origin: this.#id, keys: [key], namespace: this.#namespace });
  }

  /** Removes `key` (or several) from L1, L2, and every other process's L1. */
  async delete(key: string | readonly string[]): Promise<void> {
    const keys = typeof key === 'string' ? [key] : [...key];
    if (keys.length === 0) return;
    for (const k of keys) {
      this.#loads.invalidateKey(k);
      this.#memory?.delete(k);
    }
    await this.#store?.delete(keys);
    this.#stats.deletes++;
    if (this.#events.has('delete')) this.#events.emit('delete', { keys });
    await this.#publish({ kind: 'delete', origin: this.#id, keys, namespace: this.#namespace });
  }

  /**
   * Invalidates every entry carrying any of `tags`, in every process and on every store, without a
   * scan: the tags' invalidation time is recorded, and entries created before it count as misses.
   */
  async invalidateTags(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    const at = tick();
    this.#tags.invalidate(tags, at);
    await this.#store?.invalidateTags(tags, at, this.#recordTtl());
    this.#stats.deletes++;
    if (this.#events.has('delete')) this.#events.emit('delete', { tags: [...tags] });
    await this.#publish({ kind: 'tags', origin: this.#id, tags: [...tags], at, namespace: this.#namespace });
  }

  /** Invalidates every entry of this cache (its namespace), in every process, without flushing the store. */
  async clear(): Promise<void> {
    const at = tick();
    this.#tags.clear(at);
    this.#memory?.clear();
    await this.#store?.clear(at, this.#recordTtl());
    this.#stats.deletes++;
    if (this.#events.has('delete')) this.#events.emit('delete', { clear: true });
    await this.#publish({ kind: 'clear', origin: this.#id, namespace: this.#namespace });
  }

  /** The counters since the cache was made. */
  stats(): CacheStats {
    return { ...this.#stats, memoryEntries: this.#memory?.size ?? 0 };
  }

  /** Listens to `event`; returns a function that stops listening. */
  on<E extends keyof CacheEvents>(event: E, listener: Listener<CacheEvents, E>): () => void {
    return this.#events.on(event, listener);
  }

  /** Stops listening. */
  off<E extends keyof CacheEvents>(event: E, listener: Listener<CacheEvents, E>): void {
    this.#events.off(event, listener);
  }

  /** Closes the store's, bus's and lock's connections. */
  async disconnect(): Promise<void> {
    await Promise.all([
      this.#store?.disconnect(),
      this.#bus?.disconnect().catch((error) => this.#report(error, 'bus')),
      this.#loads.disconnectLock(),
    ]);
  }

  /** How long tag and clear records must live in L2: longer than any entry written here. */
  #recordTtl(): number {
    return Math.max(this.#tags.maxAge, DAY);
  }

  /** Subscribes to the bus: other processes' invalidations evict from this L1. */
  #listen(bus: Bus): void {
    bus
      .subscribe((message) => this.#receive(message))
      .then(() => this.#tags.followBus(true))
      .catch((error) => this.#report(error, 'bus'));
    bus.onReconnect?.(() => {
      // Messages may have been missed: drop L1, and read tag times from the store again.
      this.#memory?.clear();
      this.#tags.followBus(true);
    });
  }

  #receive(message: BusMessage): void {
    // Another namespace's keys and tags are other entries (in L2 too): nothing here to drop.
    if (message.origin === this.#id || (message.namespace ?? this.#namespace) !== this.#namespace) return;
    if (message.kind === 'delete') {
      for (const key of message.keys) {
        this.#loads.invalidateKey(key);
        this.#memory?.delete(key);
      }
    } else if (message.kind === 'tags') {
      this.#tags.invalidateFromElsewhere(message.tags, message.at);
    } else {
      this.#tags.clear(tick());
      this.#memory?.clear();
    }
  }

  async #publish(message: BusMessage): Promise<void> {
    if (this.#bus === undefined) return;
    try {
      await this.#bus.publish(message);
    } catch (error) {
      this.#report(error as Error, 'bus');
    }
  }

  #report(error: Error, operation: string, key?: string): void {
    this.#stats.errors++;
    if (this.#events.has('error')) this.#events.emit('error', { error, operation, key });
  }
}

/** Rejects options that cannot work, naming the option and the fix. */
function checkOptions(options: CacheOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('Cache options must be an object');
  if (options.memory === false && options.store === undefined) {
    throw new TypeError('Cache: `memory: false` needs a `store`; give one, or keep the memory layer');
  }
  if (options.onError !== undefined && options.onError !== 'fail-open' && options.onError !== 'throw') {
    throw new TypeError(`onError must be 'fail-open' or 'throw', got ${String(options.onError)}`);
  }
  if (options.store !== undefined && (typeof options.store !== 'object' || options.store === null)) {
    throw new TypeError('store must be a Keyv instance or a Keyv store adapter, e.g. redisStore(url)');
  }
}
