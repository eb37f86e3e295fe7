import Keyv from 'keyv';
import { CircuitOpenError, StoreTimeoutError } from '../errors.js';
import type { Envelope, Serializer } from '../types.js';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';

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

/** Key of a tag's invalidation time in L2 (under the prefix). */
const TAG_PREFIX = '__cachet:tag:';
/** Key of the whole cache's clear time in L2 (under the prefix). */
const CLEAR_KEY = '__cachet:clear';

/**
 * L2: any Keyv store, behind a timeout on every call, a circuit breaker, and the serializer. Fail-open:
 * a call that throws, rejects or hangs is reported and answered as a miss (or a skipped write), unless
 * the cache was built with `onError: 'throw'`.
 */
export class StoreLayer {
  /** The Keyv in front of the store. */
  readonly keyv: Keyv;
  /** Settings. */
  readonly #options: StoreLayerOptions;
  /** Skips the store while it keeps failing. */
  readonly #breaker: CircuitBreaker | undefined;
  /** Errors Keyv emitted so far: Keyv 6 emits some failures instead of rejecting. */
  #emitted = 0;
  /** Errors Keyv emitted that no call has claimed yet. */
  readonly #unclaimed = new Set<Error>();
  /** Whether the store reads many keys in one call; Keyv 5 hides errors of its fallback. */
  readonly #batchGet: boolean;
  /** Errors already reported: Keyv 5 both emits and throws some of them. */
  readonly #reported = new WeakSet<Error>();

  constructor(store: unknown, options: StoreLayerOptions) {
    this.#options = options;
    this.#breaker = options.breaker === false ? undefined : new CircuitBreaker(options.breaker);
    this.keyv = isKeyv(store) ? store : new Keyv({ store: store as never });
    // Keyv 5 swallows a failing get unless told to throw; Keyv 6 emits it instead. Both are seen here.
    if ('throwOnErrors' in this.keyv) (this.keyv as { throwOnErrors: boolean }).throwOnErrors = true;
    this.keyv.on('error', (error: unknown) => {
      const failure = toError(error);
      this.#emitted++;
      this.#unclaimed.add(failure);
      // A call under way claims it (Keyv 6 emits a failing get instead of rejecting); else it is
      // reported a turn later on its own.
      setImmediate(() => {
        if (this.#unclaimed.delete(failure)) this.#fail(failure, 'store');
      });
    });
    this.#batchGet = typeof (this.keyv.store as { getMany?: unknown })?.getMany === 'function';
  }

  /** Reads an entry and, in the same round trip, the invalidation times of `tags` and of the clear. */
  async getWithTags(
    key: string,
    tags: readonly string[] | undefined,
  ): Promise<{ envelope: Envelope | undefined; times: number[] } | undefined> {
    const prefix = this.#options.prefix;
    const keys = [prefix + key, prefix + CLEAR_KEY];
    if (tags !== undefined) for (const tag of tags) keys.push(prefix + TAG_PREFIX + tag);
    const values = await this.#call('get', key, () => this.#getMany(keys));
    if (values === undefined) return undefined;
    let envelope: Envelope | undefined;
    if (typeof values[0] === 'string') {
      try {
        const decoded = this.#options.serializer.deserialize(values[0]) as Envelope;
        if (isEnvelope(decoded)) envelope = decoded;
      } catch (error) {
        this.#options.report(toError(error), 'deserialize', key);
      }
    }
    const times = new Array<number>(values.length - 1);
    for (let i = 1; i < values.length; i++) times[i - 1] = typeof values[i] === 'number' ? values[i] : 0;
    return { envelope, times };
  }

  /** Reads the invalidation times of `tags` alone. */
  async tagTimes(tags: readonly string[]): Promise<number[] | undefined> {
    const prefix = this.#options.prefix;
    const values = await this.#call('get', undefined, () =>
      this.#getMany(tags.map((tag) => prefix + TAG_PREFIX + tag)),
    );
    return values?.map((value) => (typeof value === 'number' ? value : 0));
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
    const written = await this.#call('set', key, () =>
      this.keyv.set(
        this.#options.prefix + key,
        text,
        Number.isFinite(ttl) ? Math.max(1, Math.ceil(ttl)) : undefined,
      ),
    );
    return written === true;
  }

  /** Deletes entries. */
  async delete(keys: readonly string[]): Promise<void> {
    const prefix = this.#options.prefix;
    await this.#call('delete', keys[0], () =>
      keys.length === 1
        ? this.keyv.delete(prefix + keys[0])
        : this.keyv.deleteMany(keys.map((k) => prefix + k)),
    );
  }

  /** Records the invalidation of `tags` at `at`; the record outlives every entry (`ttl`, ms). */
  async invalidateTags(tags: readonly string[], at: number, ttl: number): Promise<void> {
    const prefix = this.#options.prefix;
    const keep = Number.isFinite(ttl) ? Math.ceil(ttl) : undefined;
    await this.#call('invalidateTags', undefined, () =>
      Promise.all(tags.map((tag) => this.keyv.set(prefix + TAG_PREFIX + tag, at, keep))),
    );
  }

  /** Records a clear of the whole cache at `at`, for every process reading this store. */
  async clear(at: number, ttl: number): Promise<void> {
    const keep = Number.isFinite(ttl) ? Math.ceil(ttl) : undefined;
    await this.#call('clear', undefined, () => this.keyv.set(this.#options.prefix + CLEAR_KEY, at, keep));
  }

  /** Closes the store's connections. */
  async disconnect(): Promise<void> {
    try {
      await this.keyv.disconnect();
    } catch (error) {
      this.#options.report(toError(error), 'disconnect');
    }
  }

  /** Reads many keys: in one call where the store can, else one `get` each (so failures surface). */
  #getMany(keys: string[]): Promise<any[]> {
    return this.#batchGet ? this.keyv.getMany(keys) : Promise.all(keys.map((key) => this.keyv.get(key)));
  }

  /**
   * Runs one store call with the timeout and the breaker. Resolves `undefined` when it failed (after
   * reporting it), unless errors are to be thrown.
   */
  async #call<T>(operation: string, key: string | undefined, run: () => Promise<T>): Promise<T | undefined> {
    const breaker = this.#breaker;
    if (breaker !== undefined && !breaker.allows()) {
      if (this.#options.throwErrors) throw new CircuitOpenError();
      return undefined;
    }
    const emittedBefore = this.#emitted;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = this.#options.timeout;
      const result = await Promise.race([
        run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StoreTimeoutError(operation, timeout)), timeout);
        }),
      ]);
      if (this.#emitted === emittedBefore) {
        breaker?.success();
        return result;
      }
      const emitted = [...this.#unclaimed];
      this.#unclaimed.clear();
      for (const failure of emitted) this.#fail(failure, operation, key);
      if (this.#options.throwErrors && emitted.length > 0) throw emitted[0];
      return emitted.length > 0 ? undefined : result;
    } catch (error) {
      this.#unclaimed.delete(error as Error);
      this.#fail(toError(error), operation, key);
      if (this.#options.throwErrors) throw error;
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reports a failure and counts it toward the breaker. */
  #fail(error: Error, operation: string, key?: string): void {
    if (this.#reported.has(error)) return;
    this.#reported.add(error);
    this.#options.report(error, operation, key);
    if (this.#breaker?.failure()) this.#options.report(new CircuitOpenError(), operation, key);
  }
}

/** Whether `store` is a Keyv instance (5 or 6), told by its shape, never by `instanceof`. */
function isKeyv(store: unknown): store is Keyv {
  const candidate = store as Partial<Keyv> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.getMany === 'function' &&
    typeof candidate.setMany === 'function' &&
    typeof candidate.on === 'function' &&
    'store' in candidate &&
    typeof (candidate as { hooks?: unknown }).hooks === 'object'
  );
}

function isEnvelope(value: unknown): value is Envelope {
  const candidate = value as Envelope | null;
  return (
    typeof candidate === 'object' && candidate !== null && typeof candidate.h === 'number' && 'v' in candidate
  );
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
