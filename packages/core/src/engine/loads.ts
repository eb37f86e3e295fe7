import type { Policy } from '../cache-options.js';
import { CachedLoaderError } from '../errors.js';
import type { Emitter } from '../events.js';
import type { MemoryStore } from '../memory/memory-store.js';
import type { CacheEvents, CacheStats, Envelope, Lock, LockHandle } from '../types.js';
import { tick } from './clock.js';
import type { Entries } from './entries.js';
import { runLoader } from './run-loader.js';
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
  /** Prefix of lock names (the cache's namespace). */
  lockPrefix: string;
  stats: Omit<CacheStats, 'memoryEntries'>;
  events: Emitter<CacheEvents>;
  report: ReportError;
}

/** One load under way: its flight, what it loads and how, and how its callers are settled. */
interface Run<T> {
  flight: Flight;
  key: string;
  policy: Policy;
  call: Call<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** What a load's first L2 read answered: the entry found (if any), or the error it failed with. */
interface Read {
  found?: Envelope;
  failed?: true;
  error?: unknown;
}

/** The loader of one call: a function, its `this` and its arguments. */
interface Call<T> {
  fn: (...args: any[]) => T | Promise<T>;
  self: unknown;
  args: readonly unknown[];
}

/**
 * The slow path of a lookup: single-flight over L1, L2, the lock and the loader, with grace,
 * stale-while-revalidate, early refresh, negative caching and loader timeouts. One load per key runs
 * in this process at a time; its callers all get its result (or its error).
 */
export class Loads {
  /** Loads in flight, by key. */
  readonly #flights = new Map<string, Flight>();
  /** The cache's layers and instruments. */
  readonly #cx: LoadsContext;
  /** Reads and writes of entries across the layers. */
  readonly #entries: Entries;

  constructor(context: LoadsContext, entries: Entries) {
    this.#cx = context;
    this.#entries = entries;
  }

  /**
   * Joins the load of `key` in flight, or starts one. Tags given as a function are computed from
   * `args`. `cached` is what L1 held for `key` (read once, by the caller's fast path).
   */
  load<T>(
    key: string,
    tagSource: TagSource,
    policy: Policy,
    fn: (...args: any[]) => T | Promise<T>,
    self: unknown,
    args: readonly unknown[],
    cached: Envelope | undefined,
  ): Promise<T> {
    const running = this.#joinable(key);
    if (running !== undefined) return running.result as Promise<T>;
    // An L1 entry past its TTL but inside its grace may stand in for the loader.
    const clock = this.#cx.tags;
    let stale = cached;
    if (stale !== undefined && (stale.h <= Date.now() || stale.f !== undefined || !clock.alive(stale))) {
      stale = undefined;
    }
    const served = stale !== undefined && policy.swr;
    if (served) this.#entries.servedStale(key, 'memory');
    return this.#start(key, tagSource, policy, { fn, self, args }, stale, served);
  }

  /**
   * Refreshes `current` (still fresh) in the background, unless a load of `key` is under way; errors
   * are reported, never thrown.
   */
  refresh<T>(key: string, current: Envelope, tagSource: TagSource, policy: Policy, call: Call<T>): void {
    if (this.#joinable(key) !== undefined) return;
    this.#start(key, tagSource, policy, call, current, true).catch(() => {});
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

  /** The load of `key` in flight, if it may be joined: one an invalidation overtook may not. */
  #joinable(key: string): Flight | undefined {
    const running = this.#flights.get(key);
    if (running === undefined || running.invalidated) return undefined;
    return this.#cx.tags.invalidatedSince(running.started, running.tags) ? undefined : running;
  }

  /** Starts a load; with `served`, its callers already have `stale` and it only refreshes. */
  #start<T>(
    key: string,
    tagSource: TagSource,
    policy: Policy,
    call: Call<T>,
    stale: Envelope | undefined,
    served: boolean,
  ): Promise<T> {
    const tags = typeof tagSource === 'function' ? tagSource(call.args) : tagSource;
    const flight: Flight = { started: tick(), tags, invalidated: false, result: undefined as never };
    this.#flights.set(key, flight);
    const result =
      served || this.#cx.store === undefined
        ? this.#launch(flight, key, policy, call, stale, served, undefined)
        : this.#read(flight, key, policy, call, stale);
    flight.result = result;
    return result;
  }

  /**
   * A load that starts by reading L2, as most do: a fresh entry there settles it in this one step (the
   * L2 hit path, kept short); anything else goes on as a full load with what was read.
   */
  #read<T>(
    flight: Flight,
    key: string,
    policy: Policy,
    call: Call<T>,
    stale: Envelope | undefined,
  ): Promise<T> {
    return this.#entries.readStore(
      key,
      flight.tags,
      0,
      (found, now): T | Promise<T> => {
        if (found !== undefined && found.s > now) {
          this.#land(flight, key);
          if (found.f !== undefined) throw new CachedLoaderError(found.f);
          return found.v as T;
        }
        return this.#launch(flight, key, policy, call, stale, false, { found });
      },
      (error) => this.#launch(flight, key, policy, call, stale, false, { failed: true, error }),
    );
  }

  /** Runs a load to its end; `read` is what L2 already answered, if it was read. */
  #launch<T>(
    flight: Flight,
    key: string,
    policy: Policy,
    call: Call<T>,
    stale: Envelope | undefined,
    served: boolean,
    read: Read | undefined,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (served) resolve(stale!.v as T);
      // #run lands the flight on every path before settling; a failure of its own is reported.
      const run: Run<T> = { flight, key, policy, call, resolve, reject };
      this.#run(run, stale, served, read).catch((error) => {
        this.#land(flight, key);
        this.#cx.report(error as Error, 'load', key);
        reject(error);
      });
    });
  }

  /**
   * One load: L2 (unless `read` holds what it answered), then the lock, then the loader. `resolve` may
   * be called early with a stale value.
   */
  async #run<T>(
    run: Run<T>,
    stale: Envelope | undefined,
    served: boolean,
    read: Read | undefined,
  ): Promise<void> {
    const { flight, key, policy, call, resolve, reject } = run;
    const cx = this.#cx;
    const tags = flight.tags;
    // A refresh wants something newer than what its callers were served.
    const newerThan = served && stale !== undefined ? stale.c : 0;
    let handle: LockHandle | undefined;
    try {
      if (cx.store !== undefined) {
        if (read?.failed) throw read.error;
        const found = read !== undefined ? read.found : await this.#entries.fromStore(key, tags, newerThan);
        if (found !== undefined && found.s > Date.now() && found.c > newerThan)
          return this.#settle(run, found);
        if (found !== undefined && found.f === undefined && (stale === undefined || found.c > stale.c))
          stale = found;
        if (!served && stale !== undefined && policy.swr) {
          served = true;
          this.#entries.servedStale(key, 'store');
          resolve(stale.v as T);
        }
        if (cx.lock !== undefined) {
          handle = await this.#acquire(key);
          if (handle !== undefined) {
            const filled = await this.#entries.fromStore(key, tags, newerThan);
            if (filled !== undefined && filled.s > Date.now() && filled.c > newerThan) {
              return this.#settle(run, filled);
            }
          }
        }
      }
      if (!served) {
        cx.stats.misses++;
        if (cx.events.has('miss')) cx.events.emit('miss', { key });
      }
      cx.stats.loads++;
      const value = await runLoader(key, policy, call.fn, call.self, call.args, served ? undefined : stale, {
        standIn: (standIn) => {
          this.#entries.servedStale(key, 'memory');
          resolve(standIn.v as T);
        },
        reject,
      });
      if (this.#writable(flight) && (policy.unless === undefined || !policy.unless(value, call.args))) {
        await this.#entries.write(key, value, flight.started, tags, policy);
      }
      this.#land(flight, key);
      resolve(value);
    } catch (error) {
      await this.#failed(run, error, stale, served);
    } finally {
      if (handle !== undefined) handle.release().catch((error) => cx.report(error, 'lock', key));
    }
  }

  /** A load failed: serve the stale value inside its grace, or cache the failure (`cacheErrors`) and reject. */
  async #failed<T>(run: Run<T>, error: unknown, stale: Envelope | undefined, served: boolean): Promise<void> {
    const { flight, key, policy, resolve, reject } = run;
    const cx = this.#cx;
    if (policy.errorTtl === 0 || served || stale !== undefined) this.#land(flight, key);
    if (served) {
      cx.report(error as Error, 'refresh', key);
      return;
    }
    if (stale !== undefined && stale.h > Date.now() && cx.tags.alive(stale)) {
      cx.report(error as Error, 'loader', key);
      this.#entries.servedStale(key, 'memory');
      resolve(stale.v as T);
      return;
    }
    if (policy.errorTtl > 0 && this.#writable(flight)) {
      const failure = error as { name?: unknown; message?: unknown; code?: unknown };
      const now = Date.now();
      const f = { name: String(failure?.name ?? 'Error'), message: String(failure?.message ?? error) };
      if (typeof failure?.code === 'string') (f as { code?: string }).code = failure.code;
      const envelope: Envelope = {
        v: undefined,
        c: flight.started,
        s: now + policy.errorTtl,
        h: now + policy.errorTtl,
        f,
      };
      if (flight.tags !== undefined && flight.tags.length > 0) envelope.t = flight.tags as string[];
      await this.#entries.put(key, envelope, policy.errorTtl);
    }
    // With a cached failure, callers arriving meanwhile joined this load rather than call the origin.
    this.#land(flight, key);
    reject(error);
  }

  /** Ends a load before its callers are settled: callers arriving from then on read the cache instead. */
  #land(flight: Flight, key: string): void {
    if (this.#flights.get(key) === flight) this.#flights.delete(key);
  }

  /** Settles a load's callers with an entry found in the store: its value, or its cached failure. */
  #settle<T>(run: Run<T>, found: Envelope): void {
    this.#land(run.flight, run.key);
    if (found.f !== undefined) run.reject(new CachedLoaderError(found.f));
    else run.resolve(found.v as T);
  }

  /** Whether a load's result may be written: no invalidation overtook it. */
  #writable(flight: Flight): boolean {
    return !flight.invalidated && !this.#cx.tags.invalidatedSince(flight.started, flight.tags);
  }

  /** Takes the cross-process lock of `key`; undefined when it could not (the load goes on without). */
  async #acquire(key: string): Promise<LockHandle | undefined> {
    const { lock, lockTimeout, lockPrefix, report } = this.#cx;
    try {
      return await lock?.acquire(`${lockPrefix}__cachet:lock:${key}`, {
        ttl: lockTimeout,
        wait: lockTimeout,
      });
    } catch (error) {
      report(error as Error, 'lock', key);
      return undefined;
    }
  }
}
