import Keyv from 'keyv';

/**
 * The few calls the store layer makes, over either a Keyv instance or a store that reads and writes
 * strings as they are. Values are the serializer's strings; tag and clear times are decimal strings.
 */
export interface StoreBackend {
  /** Reads one key; a missing key reads as undefined (or null). */
  get(key: string): Promise<unknown>;
  /** Reads many keys in one round trip where the store can; a missing key reads as undefined. */
  getMany(keys: string[]): Promise<unknown[]>;
  /** Writes a string that lives `ttl` ms (undefined: no expiry). */
  set(key: string, value: string, ttl: number | undefined): Promise<unknown>;
  /** Deletes keys. */
  delete(keys: string[]): Promise<unknown>;
  /** Closes the store's connections. */
  disconnect(): Promise<unknown>;
  /** Listens to the store's `error` events. */
  onError(listener: (error: unknown) => void): void;
  /**
   * Has the store report writes to keys that start with `prefix` (see
   * {@link RawStringStore.cachetTrack}); absent when it cannot.
   */
  track?(prefix: string, listener: TrackingListener): void;
  /**
   * Whether every failing call rejects, so that an `error` event is either a rejection's own error or
   * one outside any call (a connection's background error). Otherwise (Keyv 6) a failing call may
   * resolve and only emit its error, and the calls under way claim what was emitted.
   */
  readonly rejectsOnError: boolean;
}

/**
 * A store that declares `cachet.raw === true` stores strings and returns them unchanged, reads many
 * keys at once with `getMany`, and takes a TTL in ms: the engine then calls it directly, without Keyv's
 * second serialization. `@cachet/redis`'s stores declare it.
 *
 * With `cachet.rejectsOnError === true` it also promises that every failing call rejects: its `error`
 * events that no rejection carries are then errors outside any call (a sentinel that cannot be
 * reached while the client looks for the master, say). They are reported, but neither fail the calls
 * under way nor count towards the circuit breaker: a failure that matters fails a call, which counts.
 */
export interface RawStringStore {
  readonly cachet: { readonly raw: true; readonly rejectsOnError?: boolean };
  get(key: string): Promise<string | undefined | null>;
  getMany(keys: string[]): Promise<Array<string | undefined | null>>;
  set(key: string, value: string, ttl?: number): Promise<unknown>;
  delete(key: string): Promise<boolean>;
  deleteMany?(keys: string[]): Promise<unknown>;
  /**
   * `get` and `getMany` as the engine wants them, for a store whose own must map their replies (a
   * Keyv store answers `undefined` for a missing key): a missing key may read as `null`, and a failure
   * rejects. Used in their place when present: the engine then handles a reply in the job that settles
   * it, without one more for the mapping.
   */
  cachetGet?(key: string): Promise<string | undefined | null>;
  cachetGetMany?(keys: string[]): Promise<Array<string | undefined | null>>;
  /**
   * Reports every write to a key that starts with `prefix` (set, delete, expiry, eviction), by any
   * process, to `listener`, while it can: from its `on()` to its `off()`. Each write must be reported
   * before the reply of any read that the store ran after it, so that a time the engine keeps instead
   * of reading it again is never older than a read's entry (Redis's client tracking gives this when
   * the invalidations come on the connection of the reads). The engine asks for its tag and clear
   * keys; a hit then reads the entry alone. The store may hold `listener` weakly: the engine holds it
   * for as long as the cache lives.
   */
  cachetTrack?(prefix: string, listener: TrackingListener): void;
  disconnect?(): Promise<unknown>;
  on?(event: 'error', listener: (error: unknown) => void): unknown;
}

/** What a store that tracks writes (see {@link RawStringStore.cachetTrack}) tells the engine. */
export interface TrackingListener {
  /** From now on, writes under the prefix are reported. */
  on(): void;
  /** `key` (as the engine named it) was written, deleted, or expired. */
  changed(key: string): void;
  /**
   * From now on, writes may go unreported (the connection dropped, the store was flushed), until
   * `on()`.
   */
  off(): void;
}

/**
 * The backend for `store`: direct for a raw-string store, through Keyv (made if need be) otherwise.
 *
 * The Keyv made here has no namespace: the cache's keys carry the cache's own. Keyv 5 would otherwise
 * prefix them with its default `keyv:` (and set the store's namespace to `keyv` too, so a store that
 * prefixes keys itself stored `keyv:keyv:key`), except a key that already starts with `keyv:`, which
 * `get` and `set` leave as it is and `getMany` prefixes: `a` and `keyv:a` were one entry, and a cache
 * namespaced `keyv` never read back what it wrote. Without one, Keyv 5 and Keyv 6 store the same keys.
 */
export function backendFor(store: unknown): StoreBackend {
  if (isRaw(store)) return rawBackend(store);
  return keyvBackend(isKeyv(store) ? store : new Keyv({ store: store as never, namespace: undefined }));
}

function rawBackend(store: RawStringStore): StoreBackend {
  return {
    get: store.cachetGet !== undefined ? (key) => store.cachetGet!(key) : (key) => store.get(key),
    getMany:
      store.cachetGetMany !== undefined
        ? (keys) => store.cachetGetMany!(keys)
        : (keys) => store.getMany(keys),
    set: (key, value, ttl) => store.set(key, value, ttl),
    delete: (keys) =>
      keys.length === 1 || store.deleteMany === undefined
        ? Promise.all(keys.map((key) => store.delete(key)))
        : store.deleteMany(keys),
    track:
      store.cachetTrack !== undefined
        ? (prefix, listener) => store.cachetTrack!(prefix, listener)
        : undefined,
    disconnect: async () => store.disconnect?.(),
    onError: (listener) => store.on?.('error', listener),
    get rejectsOnError() {
      return store.cachet.rejectsOnError === true;
    },
  };
}

function keyvBackend(keyv: Keyv): StoreBackend {
  // Keyv 5 swallows a failing get unless told to throw; Keyv 6 emits it instead. Both are seen.
  if ('throwOnErrors' in keyv) (keyv as { throwOnErrors: boolean }).throwOnErrors = true;
  // Keyv 5's getMany over a store without one hides errors: read one key at a time there.
  const batch = typeof (keyv.store as { getMany?: unknown })?.getMany === 'function';
  // Only a Keyv 5 with a namespace needs the check; otherwise the reads skip it.
  const unprefixed = keyv5Unprefixed(keyv);
  const anyUnprefixed = (keys: string[]) => unprefixed !== undefined && keys.some(unprefixed);
  return {
    get: (key) => keyv.get(key),
    getMany: (keys) =>
      batch && !anyUnprefixed(keys) ? keyv.getMany(keys) : Promise.all(keys.map((key) => keyv.get(key))),
    set: (key, value, ttl) => keyv.set(key, value, ttl),
    delete: (keys) =>
      keys.length === 1
        ? keyv.delete(keys[0])
        : anyUnprefixed(keys)
          ? Promise.all(keys.map((key) => keyv.delete(key)))
          : keyv.deleteMany(keys),
    disconnect: () => keyv.disconnect(),
    onError: (listener) => keyv.on('error', listener),
    rejectsOnError: false,
  };
}

/**
 * For a Keyv 5 instance with a namespace: whether Keyv leaves `key` unprefixed in `get`, `set` and
 * `delete` (it starts with the namespace and a colon) while `getMany` and `deleteMany` prefix it. Such
 * keys are read and deleted one at a time, the way they were written. Undefined for any other Keyv:
 * Keyv 6, and Keyv 5 without a namespace, prefix every key alike.
 */
function keyv5Unprefixed(keyv: Keyv): ((key: string) => boolean) | undefined {
  const five = keyv as unknown as { _getKeyPrefix?: unknown; namespace?: string; useKeyPrefix?: boolean };
  const namespace = five.namespace;
  if (typeof five._getKeyPrefix !== 'function' || !namespace || five.useKeyPrefix === false) return undefined;
  const prefix = `${namespace}:`;
  return (key) => key.startsWith(prefix);
}

function isRaw(store: unknown): store is RawStringStore {
  const candidate = store as Partial<RawStringStore> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.cachet?.raw === true &&
    typeof candidate.getMany === 'function' &&
    typeof candidate.set === 'function'
  );
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
