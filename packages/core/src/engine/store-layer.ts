import { CircuitOpenError, StoreTimeoutError } from '../errors.js';
import type { Envelope, Serializer } from '../types.js';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import { Deadlines } from './deadlines.js';
import { backendFor, type StoreBackend, type TrackingListener } from './store-backend.js';

/** What the store layer reports: an error and the operation it happened in. */
export type ReportError = (error: Error, operation: string, key?: string) => void;

/** Options of {@link StoreLayer}. */
export interface StoreLayerOptions {
  /** Prefix of every key in the store (the cache's namespace and a colon, or empty). */
  prefix: string;
  serializer: Serializer;
  /** Longest wait for one store call, in ms. */
  timeout: number;
  /** Circuit breaker settings, or false for none. */
  breaker: CircuitBreakerOptions | false;
  /** Whether store errors reach the caller (`onError: 'throw'`). */
  throwErrors: boolean;
  report: ReportError;
}

/** Start of the keys of the tag and clear times in L2 (under the prefix). */
const TIMES_PREFIX = '__cachet:';
/** Key of a tag's invalidation time in L2 (under the prefix). */
const TAG_PREFIX = `${TIMES_PREFIX}tag:`;
/** Key of the whole cache's clear time in L2 (under the prefix). */
const CLEAR_KEY = `${TIMES_PREFIX}clear`;
/** Most tag keys kept built. */
const TAG_KEYS = 1000;

/**
 * L2: any Keyv store, behind a timeout on every call, a circuit breaker, and the serializer. Fail-open:
 * a call that throws, rejects or hangs is reported and answered as a miss (or a skipped write), unless
 * the cache was built with `onError: 'throw'`.
 */
export class StoreLayer {
  /** The store's calls. */
  readonly #backend: StoreBackend;
  /** Settings. */
  readonly #options: StoreLayerOptions;
  /** Skips the store while it keeps failing. */
  readonly #breaker: CircuitBreaker | undefined;
  /** The timeout of every call. */
  readonly #deadlines: Deadlines;
  /** Errors the store emitted so far: Keyv 6 emits some failures instead of rejecting. */
  #emitted = 0;
  /** Errors the store emitted that no call has claimed yet. */
  readonly #unclaimed = new Set<Error>();
  /** Errors already reported: Keyv 5 both emits and throws some of them. */
  readonly #reported = new WeakSet<Error>();
  /** Longest wait for one call, ms. */
  readonly #timeout: number;
  /** Key of the clear's time in the store. */
  readonly #clearKey: string;
  /**
   * Keys of tags' times in the store, by tag: the same few tags are read on every hit without a bus,
   * and a key built anew each time is one more string to build, hash and flatten for the socket.
   * Emptied when it grows past {@link TAG_KEYS}, so many one-off tags cannot make it grow for ever.
   */
  readonly #tagKeys = new Map<string, string>();
  /** What the store reports writes to the times to, once {@link follow} asked it to. */
  #tracking: TrackingListener | undefined;
  /** The error of a read that timed out (made once, not per call). */
  readonly #getTimedOut: () => Error;

  constructor(store: unknown, options: StoreLayerOptions) {
    this.#options = options;
    this.#breaker = options.breaker === false ? undefined : new CircuitBreaker(options.breaker);
    this.#deadlines = new Deadlines(options.timeout, Math.min(50, Math.max(5, options.timeout / 10)));
    this.#timeout = options.timeout;
    this.#clearKey = options.prefix + CLEAR_KEY;
    this.#getTimedOut = () => new StoreTimeoutError('get', options.timeout);
    this.#backend = backendFor(store);
    this.#backend.onError((error: unknown) => {
      const failure = toError(error);
      this.#emitted++;
      this.#unclaimed.add(failure);
      // A call under way claims it (Keyv 6 emits a failing get instead of rejecting); else it is
      // reported a turn later on its own.
      setImmediate(() => {
        if (!this.#unclaimed.delete(failure)) return;
        // Outside any call, from a store whose calls reject when they fail: reported, not counted.
        if (this.#backend.rejectsOnError) this.#report(failure, 'store');
        else this.#fail(failure, 'store');
      });
    });
  }

  /**
   * Reads an entry and, in the same round trip, the invalidation times of `tags` and (with
   * `withClear`) of the whole cache's clear; 0 where there is none. Resolves with `then(read)`, called
   * in the job the store's reply settles (a hit takes no turn of its own here); `read` is undefined
   * when the read failed. With `onError: 'throw'`, a failure resolves with `thrown(error)` when it is
   * given (a caller that would otherwise catch the rejection, a turn later), and rejects otherwise.
   */
  getWithTags<R>(
    key: string,
    tags: readonly string[] | undefined,
    withClear: boolean,
    then: (read: StoreRead | undefined) => R | PromiseLike<R>,
    thrown?: (error: unknown) => R | PromiseLike<R>,
  ): Promise<R> {
    const count = tags === undefined ? 0 : tags.length;
    if (count === 0 && !withClear) {
      const prefixed = this.#options.prefix + key;
      return this.#call(
        'get',
        key,
        () => this.#backend.get(prefixed),
        (value) => then(this.#decoded(key, value, undefined, count, withClear)),
        then,
        thrown,
      );
    }
    const keys = this.#timeKeys([this.#options.prefix + key], tags, withClear);
    return this.#call(
      'get',
      key,
      () => this.#backend.getMany(keys),
      (values) => then(this.#decoded(key, values[0], values, count, withClear)),
      then,
      thrown,
    );
  }

  /** Reads the invalidation times of `tags` alone, and (with `withClear`) the clear's. */
  times(tags: readonly string[], withClear: boolean): Promise<StoreRead | undefined> {
    const keys = this.#timeKeys([], tags, withClear);
    return this.#call(
      'get',
      undefined,
      () => this.#backend.getMany(keys),
      (values) => readTimes(undefined, values, 0, tags.length, withClear),
      nothing,
    );
  }

  /**
   * Has the store report writes to this cache's tag and clear times, if it can (see
   * `RawStringStore.cachetTrack`); otherwise `followers` never hear from it.
   */
  follow(followers: TimeFollowers): void {
    const track = this.#backend.track;
    if (track === undefined) return;
    const tagPrefix = this.#options.prefix + TAG_PREFIX;
    const clearKey = this.#clearKey;
    // Held here: a store may hold it weakly, so as not to keep a dropped cache alive.
    this.#tracking = {
      on: followers.on,
      off: followers.off,
      changed: (key) => {
        if (key === clearKey) followers.clear();
        else if (key.startsWith(tagPrefix)) followers.tag(key.slice(tagPrefix.length));
      },
    };
    track(this.#options.prefix + TIMES_PREFIX, this.#tracking);
  }

  /** Writes an entry that lives `ttl` ms in the store. Resolves whether it was written. */
  async set(key: string, envelope: Envelope, ttl: number): Promise<boolean> {
    let text: string;
    try {
      text = this.#options.serializer.serialize(envelope);
    } catch (error) {
      this.#options.report(toError(error), 'serialize', key);
      return false;
    }
    const life = Number.isFinite(ttl) ? Math.max(1, Math.ceil(ttl)) : undefined;
    return this.#call('set', key, () => this.#backend.set(this.#options.prefix + key, text, life), yes, no);
  }

  /** Deletes entries. */
  async delete(keys: readonly string[]): Promise<void> {
    const prefix = this.#options.prefix;
    await this.#call(
      'delete',
      keys[0],
      () => this.#backend.delete(keys.map((k) => prefix + k)),
      nothing,
      nothing,
    );
  }

  /** Records the invalidation of `tags` at `at`; the record outlives every entry (`ttl`, ms). */
  async invalidateTags(tags: readonly string[], at: number, ttl: number): Promise<void> {
    const prefix = this.#options.prefix;
    const keep = Number.isFinite(ttl) ? Math.ceil(ttl) : undefined;
    await this.#call(
      'invalidateTags',
      undefined,
      () => Promise.all(tags.map((tag) => this.#backend.set(prefix + TAG_PREFIX + tag, String(at), keep))),
      nothing,
      nothing,
    );
  }

  /** Records a clear of the whole cache at `at`, for every process reading this store. */
  async clear(at: number, ttl: number): Promise<void> {
    const keep = Number.isFinite(ttl) ? Math.ceil(ttl) : undefined;
    await this.#call(
      'clear',
      undefined,
      () => this.#backend.set(this.#clearKey, String(at), keep),
      nothing,
      nothing,
    );
  }

  /** Closes the store's connections. */
  async disconnect(): Promise<void> {
    try {
      await this.#backend.disconnect();
    } catch (error) {
      this.#options.report(toError(error), 'disconnect');
    }
  }

  /** `keys` with the keys of the clear's time (with `withClear`) and of `tags`' times after them. */
  #timeKeys(keys: string[], tags: readonly string[] | undefined, withClear: boolean): string[] {
    if (withClear) keys.push(this.#clearKey);
    if (tags !== undefined) for (let i = 0; i < tags.length; i++) keys.push(this.#tagKey(tags[i]));
    return keys;
  }

  /** The key of `tag`'s time in the store. */
  #tagKey(tag: string): string {
    let key = this.#tagKeys.get(tag);
    if (key === undefined) {
      if (this.#tagKeys.size >= TAG_KEYS) this.#tagKeys.clear();
      key = this.#options.prefix + TAG_PREFIX + tag;
      this.#tagKeys.set(tag, key);
    }
    return key;
  }

  /**
   * Runs one store call with the timeout and the breaker, and resolves with `ok(result)`, or with
   * `failed(undefined)` once the failure was reported. Unless errors are to be thrown: it then resolves
   * with `thrown(error)` if given, and rejects otherwise.
   */
  #call<T, R>(
    operation: string,
    key: string | undefined,
    run: () => Promise<T>,
    ok: (result: T) => R | PromiseLike<R>,
    failed: (none: undefined) => R | PromiseLike<R>,
    thrown?: (error: unknown) => R | PromiseLike<R>,
  ): Promise<R> {
    if (!this.#admits()) return this.#refused(failed, thrown);
    const emittedBefore = this.#emitted;
    let request: Promise<T>;
    try {
      // A store that answers with a plain value (or a foreign thenable) is read as if it had a promise.
      request = Promise.resolve(run());
    } catch (error) {
      request = Promise.reject(error);
    }
    return this.#deadlines.run(
      request,
      operation === 'get' ? this.#getTimedOut : () => new StoreTimeoutError(operation, this.#timeout),
      (result) => {
        if (this.#emitted === emittedBefore || this.#backend.rejectsOnError) this.#breaker?.success();
        else {
          const claimed = this.#claim(operation, key);
          if (claimed !== undefined)
            return this.#options.throwErrors ? rethrown(claimed, thrown) : failed(undefined);
        }
        return ok(result);
      },
      (error) => {
        this.#caught(error, operation, key);
        return this.#options.throwErrors ? rethrown(error, thrown) : failed(undefined);
      },
    );
  }

  /** Decodes what a read answered: the entry (`value`), and the clear and tag times after it in `values`. */
  #decoded(
    key: string,
    value: unknown,
    values: readonly unknown[] | undefined,
    count: number,
    withClear: boolean,
  ): StoreRead {
    let envelope: Envelope | undefined;
    if (typeof value === 'string') {
      try {
        const decoded = this.#options.serializer.deserialize(value) as Envelope;
        if (isEnvelope(decoded)) envelope = decoded;
      } catch (error) {
        this.#options.report(toError(error), 'deserialize', key);
      }
    }
    return readTimes(envelope, values, 1, count, withClear);
  }

  /** Whether the breaker lets a call through now. */
  #admits(): boolean {
    const breaker = this.#breaker;
    return breaker === undefined || breaker.allows();
  }

  /**
   * A call the open breaker kept from the store: `failed(undefined)`, or with `onError: 'throw'` a
   * {@link CircuitOpenError} (for `thrown`, if given).
   */
  async #refused<R>(
    failed: (none: undefined) => R | PromiseLike<R>,
    thrown: ((error: unknown) => R | PromiseLike<R>) | undefined,
  ): Promise<R> {
    if (this.#options.throwErrors) return rethrown(new CircuitOpenError(), thrown);
    return failed(undefined);
  }

  /**
   * A call resolved while the store emitted errors (Keyv 6 emits some failures instead of rejecting):
   * reports them as this call's. The first of them, if there were any left to claim: the call then
   * counts as failed (and, with `onError: 'throw'`, fails with it).
   */
  #claim(operation: string, key: string | undefined): Error | undefined {
    if (this.#unclaimed.size === 0) return undefined;
    const emitted = [...this.#unclaimed];
    this.#unclaimed.clear();
    for (const failure of emitted) this.#fail(failure, operation, key);
    return emitted[0];
  }

  /** A call that rejected or timed out: reported, and counted towards the breaker. */
  #caught(error: unknown, operation: string, key: string | undefined): void {
    this.#unclaimed.delete(error as Error);
    this.#fail(toError(error), operation, key);
  }

  /** Reports a failure and counts it toward the breaker. */
  #fail(error: Error, operation: string, key?: string): void {
    if (this.#report(error, operation, key) && this.#breaker?.failure()) {
      this.#options.report(new CircuitOpenError(), operation, key);
    }
  }

  /** Reports a failure unless it already was; whether it was reported now. */
  #report(error: Error, operation: string, key?: string): boolean {
    if (this.#reported.has(error)) return false;
    this.#reported.add(error);
    this.#options.report(error, operation, key);
    return true;
  }
}

/** What {@link StoreLayer.follow} tells the cache. */
export interface TimeFollowers {
  /** The store reports writes to the times from now on. */
  on(): void;
  /** `tag`'s time was written. */
  tag(tag: string): void;
  /** The clear's time was written. */
  clear(): void;
  /** Writes to the times may go unreported from now on. */
  off(): void;
}

/** What {@link StoreLayer.getWithTags} read: the entry if any, the clear's time, and the tags' times. */
export interface StoreRead {
  envelope: Envelope | undefined;
  clearedAt: number;
  times: number[];
}

/** A call's result mapped to `undefined`, and whether a write was made. */
const nothing = (): undefined => undefined;
const yes = (): boolean => true;
const no = (): boolean => false;

function isEnvelope(value: unknown): value is Envelope {
  const candidate = value as Envelope | null;
  return (
    typeof candidate === 'object' && candidate !== null && typeof candidate.h === 'number' && 'v' in candidate
  );
}

/**
 * What a read found: `envelope`, and the times in `values` after the first `skip` of them, as
 * `StoreLayer`'s `#timeKeys` laid out their keys (the clear's, with `withClear`, then `count` tags').
 */
function readTimes(
  envelope: Envelope | undefined,
  values: readonly unknown[] | undefined,
  skip: number,
  count: number,
  withClear: boolean,
): StoreRead {
  const first = withClear ? skip + 1 : skip;
  const times = new Array<number>(count);
  for (let i = 0; i < count; i++) times[i] = timeOf(values![first + i]);
  return { envelope, clearedAt: withClear ? timeOf(values![skip]) : 0, times };
}

/** A tag or clear time as stored: a decimal string (or a number, as older entries wrote it). */
function timeOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const time = Number(value);
    return Number.isFinite(time) ? time : 0;
  }
  return 0;
}

/** `thrown(error)`, or `error` thrown when there is no `thrown`. */
function rethrown<R>(
  error: unknown,
  thrown: ((error: unknown) => R | PromiseLike<R>) | undefined,
): R | PromiseLike<R> {
  if (thrown === undefined) throw error;
  return thrown(error);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
