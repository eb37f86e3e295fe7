import { EventEmitter } from 'node:events';
import { FaultInjectedError } from './errors.js';

/** What a {@link FaultyStore} does to the calls it intercepts. */
export type FaultMode = 'throw' | 'delay' | 'hang' | 'drop';

/** The store operations a fault can target. */
export type StoreOperation =
  | 'get'
  | 'getMany'
  | 'set'
  | 'setMany'
  | 'delete'
  | 'deleteMany'
  | 'clear'
  | 'has';

/** Options of {@link FaultyStore.fail}. */
export interface FaultOptions {
  /** For `'delay'`: how long each call waits before reaching the inner store, in ms; default 100. */
  ms?: number;
  /** Which operations fail; default all. `'drop'` only affects writes (set, setMany). */
  operations?: StoreOperation[];
}

/** Any Keyv store: an adapter or a Map-like object (sync or async methods). */
export type AnyStore = {
  get(key: string): unknown;
  set(key: string, value: any, ttl?: number): unknown;
} & Record<string, any>;

/**
 * A Keyv store that wraps another and misbehaves on demand, to test what users see when the store
 * fails: `'throw'` (every call rejects with {@link FaultInjectedError}), `'delay'` (calls reach the store
 * `ms` late), `'hang'` (calls never settle until {@link FaultyStore.heal}, then go through, like a
 * healed partition), `'drop'` (writes resolve but are silently lost). Switch at run time with
 * {@link FaultyStore.fail} and {@link FaultyStore.heal}. Errors the inner store emits are re-emitted.
 *
 * @example
 * ```ts
 * const store = faultyStore(new MemoryStore());
 * const cache = new Cache({ store, memory: false });
 * store.fail('throw');         // the cache must still answer, from the loader
 * store.fail('delay', { ms: 500 });
 * store.heal();
 * ```
 */
export class FaultyStore extends EventEmitter {
  /** Keyv reads this to tell adapters from Maps; passed through. */
  opts: Record<string, unknown> = { dialect: 'faulty' };
  /** Calls that reached this wrapper, by operation. */
  readonly calls: Record<StoreOperation, number> = {
    get: 0,
    getMany: 0,
    set: 0,
    setMany: 0,
    delete: 0,
    deleteMany: 0,
    clear: 0,
    has: 0,
  };
  /** The wrapped store. */
  readonly inner: AnyStore;
  /** Current fault, or undefined when healthy. */
  #mode?: FaultMode;
  /** Options of the current fault. */
  #options: FaultOptions = {};
  /** Calls parked by 'hang', resumed by heal(). */
  #parked: Array<() => void> = [];

  /** @param inner the store to wrap (any Keyv store). */
  constructor(inner: AnyStore) {
    super();
    this.inner = inner;
    if (typeof inner.on === 'function') inner.on('error', (error: unknown) => this.emit('error', error));
  }

  /**
   * `@cachet/core`'s capability flags, forwarded: a wrapper of a store that keeps strings as they are
   * (such as `redisStore`) passes values through unchanged, so the cache may call it directly too; and
   * its faults never emit an error that no call sees (`'throw'` rejects the call), so `rejectsOnError`
   * holds for the wrapper when it holds for the store.
   */
  get cachet(): { readonly raw: true; readonly rejectsOnError?: boolean } | undefined {
    return (this.inner as { cachet?: { readonly raw: true; readonly rejectsOnError?: boolean } }).cachet;
  }

  /** The namespace Keyv assigns; forwarded to the inner store. */
  get namespace(): string | undefined {
    return this.inner.namespace;
  }
  set namespace(value: string | undefined) {
    this.inner.namespace = value;
  }

  /** The current fault mode, or `undefined` when healthy. */
  get mode(): FaultMode | undefined {
    return this.#mode;
  }

  /** Starts misbehaving in `mode` (replacing any current fault). */
  fail(mode: FaultMode, options: FaultOptions = {}): this {
    this.#mode = mode;
    this.#options = options;
    return this;
  }

  /** Stops misbehaving; calls parked by `'hang'` proceed to the inner store. */
  heal(): this {
    this.#mode = undefined;
    const parked = this.#parked;
    this.#parked = [];
    for (const resume of parked) resume();
    return this;
  }

  async get(key: string): Promise<any> {
    return this.#run('get', () => this.inner.get(key));
  }

  async getMany(keys: string[]): Promise<any[]> {
    return this.#run('getMany', () =>
      typeof this.inner.getMany === 'function'
        ? this.inner.getMany(keys)
        : Promise.all(keys.map((key) => this.inner.get(key))),
    );
  }

  async set(key: string, value: any, ttl?: number): Promise<any> {
    return this.#run('set', async () => {
      await this.inner.set(key, value, ttl);
      return true;
    });
  }

  async setMany(entries: Array<{ key: string; value: any; ttl?: number }>): Promise<void> {
    return this.#run('setMany', async () => {
      if (typeof this.inner.setMany === 'function') await this.inner.setMany(entries);
      else for (const { key, value, ttl } of entries) await this.inner.set(key, value, ttl);
    });
  }

  async delete(key: string): Promise<boolean> {
    return this.#run('delete', async () => Boolean(await this.inner.delete(key)));
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    return this.#run('deleteMany', async () => {
      if (typeof this.inner.deleteMany === 'function') return Boolean(await this.inner.deleteMany(keys));
      const results = await Promise.all(keys.map((key) => this.inner.delete(key)));
      return results.some(Boolean);
    });
  }

  async clear(): Promise<void> {
    return this.#run('clear', async () => {
      await this.inner.clear();
    });
  }

  async has(key: string): Promise<boolean> {
    return this.#run('has', async () =>
      typeof this.inner.has === 'function'
        ? Boolean(await this.inner.has(key))
        : this.inner.get(key) !== undefined,
    );
  }

  /** Disconnects the inner store, if it can. */
  async disconnect(): Promise<void> {
    if (typeof this.inner.disconnect === 'function') await this.inner.disconnect();
  }

  /** Applies the current fault to one call of `operation`. */
  async #run<T>(operation: StoreOperation, call: () => T | Promise<T>): Promise<T> {
    this.calls[operation]++;
    const mode = this.#mode;
    const targeted = mode !== undefined && (this.#options.operations?.includes(operation) ?? true);
    if (!targeted) return call();
    switch (mode) {
      case 'throw':
        throw new FaultInjectedError(operation);
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, this.#options.ms ?? 100));
        return call();
      case 'hang':
        await new Promise<void>((resolve) => this.#parked.push(resolve));
        return call();
      case 'drop':
        if (operation === 'set' || operation === 'setMany')
          return (operation === 'set' ? true : undefined) as T;
        return call();
    }
  }
}

/**
 * Wraps `inner` in a {@link FaultyStore}, optionally already failing.
 *
 * @param inner any Keyv store.
 * @param mode a fault to start with; default none (healthy).
 */
export function faultyStore(inner: AnyStore, mode?: FaultMode, options?: FaultOptions): FaultyStore {
  const store = new FaultyStore(inner);
  if (mode !== undefined) store.fail(mode, options);
  return store;
}

export { FaultInjectedError } from './errors.js';
