import type { Policy } from '../cache-options.js';
import { LoaderTimeoutError } from '../errors.js';
import type { Emitter } from '../events.js';
import type { MemoryStore } from '../memory/memory-store.js';
import type { CacheEvents, CacheStats, Envelope, Lock, LockHandle } from '../types.js';
import { tick } from './clock.js';
import type { ReportError, StoreLayer } from './store-layer.js';
import type { TagClock } from './tag-clock.js';

/** A load in flight: what its callers await, and whether an invalidation overtook it. */
export interface Flight {
  /** When the load started (its entry's creation time). */
  readonly started: number;
  /** The entry's tags. */
  readonly tags: readonly string[] | undefined;
  /** Set when the key was deleted or overwritten meanwhile: the result must not be written back. */
  invalidated: boolean;
  /** What callers get: the loader's result, or a stale value standing in for it. */
  result: Promise<unknown>;
}

/** An entry's tags, or a function computing them from the call's arguments (only on a miss). */
export type TagSource = readonly string[] | undefined | ((args: readonly unknown[]) => readonly string[]);

/** What {@link Loads} works with: the cache's layers and instruments. */
export interface LoadsContext {
  memory: MemoryStore<Envelope> | undefined;
  store: StoreLayer | undefined;
  tags: TagClock;
  lock: Lock | undefined;
  lockTimeout: number;
  stats: Omit<CacheStats, 'memoryEntries'>;
  events: Emitter<CacheEvents>;
  report: ReportError;
}

/**
 * The slow path of a lookup: single-flight over L1, L2, the lock and the loader, with grace,
 * stale-while-revalidate and loader timeouts. One load per key runs in this process at a time; its
 * callers all get its result (or its error).
 */
export class Loads {
  /** Loads in flight, by key. */
  readonly #flights = new Map<string, Flight>();
  /** The cache's layers and instruments. */
  readonly #cx: LoadsContext;

  constructor(context: LoadsContext) {
    this.#cx = context;
  }

  /** Joins the load of `key` in flight, or starts one. Tags given as a function are computed from `args`. */
  load<T>(
    key: string,
    tagSource: TagSource,
    policy: Policy,
    fn: (...args: any[]) => T | Promise<T>,
    self: unknown,
    args: readonly unknown[],
  ): Promise<T> {
    const { memory, tags: clock } = this.#cx;
    const running = this.#flights.get(key);
    // A load overtaken by an invalidation is not joined: its result is older than what was asked for.
    if (
      running !== undefined &&
      !running.invalidated &&
      !clock.invalidatedSince(running.started, running.tags)
    ) {
      return running.result as Promise<T>;
    }
    // An L1 entry past its TTL but inside its grace may stand in for the loader.
    let stale = memory?.get(key);
    if (stale !== undefined && (stale.h <= Date.now() || !clock.alive(stale))) stale = undefined;
    const tags = typeof tagSource === 'function' ? tagSource(args) : tagSource;
    const flight: Flight = { started: tick(), tags, invalidated: false, result: undefined as never };
    this.#flights.set(key, flight);
    const result = new Promise<T>((resolve, reject) => {
      if (stale !== undefined && policy.swr) {
        this.#servedStale(key, 'memory');
        resolve(stale.v as T);
      }
      this.#run(flight, key, tags, policy, fn, self, args, stale, resolve, reject).finally(() => {
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      });
    });
    flight.result = result;
    return result;
  }

  /** Reads `key` from L1, then L2 (filling L1), tag-checked; a stale entry inside grace is returned too. */
  async lookup(key: string, tags: readonly string[] | undefined): Promise<Envelope | undefined> {
    const { memory, stats, events, tags: clock } = this.#cx;
    const cached = memory?.get(key);
    if (cached !== undefined && cached.s > Date.now() && clock.alive(cached)) {
      stats.hits++;
      stats.memoryHits++;
      if (events.has('hit')) events.emit('hit', { key, layer: 'memory', stale: false });
      return cached;
    }
    const found = await this.#readStore(key, tags);
    if (found !== undefined && found.s > Date.now()) {
      memory?.set(key, found, found.h - Date.now());
      stats.hits++;
      stats.storeHits++;
      if (events.has('hit')) events.emit('hit', { key, layer: 'store', stale: false });
    }
    return found;
  }

  /** Writes an entry created at `created` to L2, then L1. */
  async write(
    key: string,
    value: unknown,
    created: number,
    tags: readonly string[] | undefined,
    policy: Policy,
  ): Promise<void> {
    const { memory, store, stats, events, tags: clock } = this.#cx;
    const now = Date.now();
    const soft = now + policy.ttl;
    const life = policy.ttl + policy.grace;
    const envelope: Envelope = { v: value, c: created, s: soft, h: soft + policy.grace };
    if (tags !== undefined && tags.length > 0) envelope.t = tags as string[];
    if (life > clock.maxAge) clock.maxAge = life;
    if (store !== undefined) await store.set(key, envelope, life);
    memory?.set(key, envelope, life);
    stats.sets++;
    if (events.has('set')) events.emit('set', { key, tags: envelope.t });
  }

  /** Marks the load of `key` in flight, if any, as overtaken: its result is not written back, nor joined. */
  invalidateKey(key: string): void {
    const flight = this.#flights.get(key);
    if (flight !== undefined) {
      flight.invalidated = true;
      this.#flights.delete(key);
    }
  }

  /** Closes the lock's connections. */
  async disconnectLock(): Promise<void> {
    try {
      await this.#cx.lock?.disconnect?.();
    } catch (error) {
      this.#cx.report(error as Error, 'lock');
    }
  }

  /** One load: L2, then the lock, then the loader; `resolve` may be called early with a stale value. */
  async #run<T>(
    flight: Flight,
    key: string,
    tags: readonly string[] | undefined,
    policy: Policy,
    fn: (...args: any[]) => T | Promise<T>,
    self: unknown,
    args: readonly unknown[],
    stale: Envelope | undefined,
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
  ): Promise<void> {
    const cx = this.#cx;
    let served = stale !== undefined && policy.swr;
    let handle: LockHandle | undefined;
    try {
      if (cx.store !== undefined) {
        const found = await this.#fromStore(key, tags);
        if (found !== undefined && found.s > Date.now()) return served ? undefined : resolve(found.v as T);
        if (found !== undefined && (stale === undefined || found.c > stale.c)) stale = found;
        if (!served && stale !== undefined && policy.swr) {
          served = true;
          this.#servedStale(key, 'store');
          resolve(stale.v as T);
        }
        if (cx.lock !== undefined) {
          handle = await this.#acquire(key);
          if (handle !== undefined) {
            const filled = await this.#fromStore(key, tags);
            if (filled !== undefined && filled.s > Date.now())
              return served ? undefined : resolve(filled.v as T);
          }
        }
      }
      if (!served) {
        cx.stats.misses++;
        if (cx.events.has('miss')) cx.events.emit('miss', { key });
      }
      const value = await this.#invoke(
        key,
        policy,
        fn,
        self,
        args,
        served ? undefined : stale,
        resolve,
        reject,
      );
      if (
        !flight.invalidated &&
        !cx.tags.invalidatedSince(flight.started, tags) &&
        (policy.unless === undefined || !policy.unless(value, args))
      ) {
        await this.write(key, value, flight.started, tags, policy);
      }
      // Callers arriving from now on find the entry in the cache, not this load.
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
      resolve(value);
    } catch (error) {
      const now = Date.now();
      if (!served && stale !== undefined && stale.h > now && cx.tags.alive(stale)) {
        cx.report(error as Error, 'loader', key);
        this.#servedStale(key, 'memory');
        resolve(stale.v as T);
      } else {
        if (served) cx.report(error as Error, 'refresh', key);
        reject(error);
      }
    } finally {
      if (handle !== undefined) handle.release().catch((error) => cx.report(error, 'lock', key));
    }
  }

  /**
   * Runs the loader under the soft and hard timeouts. Past `soft`, callers get `stale` (if any) while
   * the loader goes on; past `hard`, they get `stale` or a {@link LoaderTimeoutError}. Either way the
   * loader's eventual result is still written.
   */
  async #invoke<T>(
    key: string,
    policy: Policy,
    fn: (...args: any[]) => T | Promise<T>,
    self: unknown,
    args: readonly unknown[],
    stale: Envelope | undefined,
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
  ): Promise<T> {
    this.#cx.stats.loads++;
    const pending = Promise.resolve().then(() => fn.apply(self, args as unknown[]));
    if (policy.soft === 0 && policy.hard === 0) return pending;
    const timers: NodeJS.Timeout[] = [];
    if (policy.soft > 0 && stale !== undefined) {
      timers.push(setTimeout(() => this.#standIn(key, stale, resolve), policy.soft));
    }
    if (policy.hard > 0) {
      timers.push(
        setTimeout(() => {
          if (stale !== undefined && stale.h > Date.now()) this.#standIn(key, stale, resolve);
          else reject(new LoaderTimeoutError(key, policy.hard));
        }, policy.hard),
      );
    }
    try {
      return await pending;
    } finally {
      for (const timer of timers) clearTimeout(timer);
    }
  }

  /** Serves a stale value in place of a slow loader. */
  #standIn<T>(key: string, stale: Envelope, resolve: (value: T) => void): void {
    this.#servedStale(key, 'memory');
    resolve(stale.v as T);
  }

  /** Reads L2 and fills L1 with a fresh entry found there. */
  async #fromStore(key: string, tags: readonly string[] | undefined): Promise<Envelope | undefined> {
    const found = await this.#readStore(key, tags);
    if (found !== undefined && found.s > Date.now()) {
      const { memory, stats, events } = this.#cx;
      memory?.set(key, found, found.h - Date.now());
      stats.hits++;
      stats.storeHits++;
      if (events.has('hit')) events.emit('hit', { key, layer: 'store', stale: false });
    }
    return found;
  }

  /**
   * Reads an entry from L2 with its tags' and the clear's invalidation times (one round trip when the
   * caller knows the tags), learns those times, and returns the entry if it is alive and within grace.
   */
  async #readStore(key: string, tags: readonly string[] | undefined): Promise<Envelope | undefined> {
    const { store, tags: clock } = this.#cx;
    if (store === undefined) return undefined;
    const read = await store.getWithTags(key, tags);
    if (read === undefined) return undefined;
    const { envelope, times } = read;
    if (times[0] > 0) clock.clear(times[0]);
    if (tags !== undefined)
      for (let i = 0; i < tags.length; i++) if (times[i + 1] > 0) clock.invalidate([tags[i]], times[i + 1]);
    if (envelope === undefined || envelope.h <= Date.now()) return undefined;
    const unknown = envelope.t?.filter((tag) => tags === undefined || !tags.includes(tag));
    if (unknown !== undefined && unknown.length > 0) {
      const more = await store.tagTimes(unknown);
      if (more !== undefined)
        for (let i = 0; i < unknown.length; i++) if (more[i] > 0) clock.invalidate([unknown[i]], more[i]);
    }
    if (!clock.alive(envelope)) return undefined;
    const life = envelope.h - envelope.c;
    if (life > clock.maxAge) clock.maxAge = life;
    return envelope;
  }

  /** Takes the cross-process lock of `key`; undefined when it could not (the load goes on without). */
  async #acquire(key: string): Promise<LockHandle | undefined> {
    const { lock, lockTimeout, report } = this.#cx;
    try {
      return await lock?.acquire(`__cachet:lock:${key}`, { ttl: lockTimeout, wait: lockTimeout });
    } catch (error) {
      report(error as Error, 'lock', key);
      return undefined;
    }
  }

  #servedStale(key: string, layer: 'memory' | 'store'): void {
    const { stats, events } = this.#cx;
    stats.hits++;
    stats.staleHits++;
    if (layer === 'memory') stats.memoryHits++;
    else stats.storeHits++;
    if (events.has('hit')) events.emit('hit', { key, layer, stale: true });
  }
}
