/**
 * The errors `@cachet/core` throws or reports. Each has a stable `code` to match on, and a `cause`
 * where another error lies beneath.
 */

/** Base class of Cachet's errors. */
export class CachetError extends Error {
  /** A stable code, e.g. `'E_SERIALIZE'`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A value the serializer cannot encode (a function, a symbol, a circular reference) or text it cannot decode. */
export class SerializationError extends CachetError {
  /** Where in the value the problem is, e.g. `'$.user.onSave'`. */
  readonly path: string;

  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super('E_SERIALIZE', `${message} at ${path}`, options);
    this.path = path;
  }
}

/** A store call that did not answer in time (the `storeTimeout` option). */
export class StoreTimeoutError extends CachetError {
  /** The store operation, e.g. `'get'`. */
  readonly operation: string;
  /** How long it was given, in ms. */
  readonly timeout: number;

  constructor(operation: string, timeout: number) {
    super('E_STORE_TIMEOUT', `store ${operation} did not answer within ${timeout} ms`);
    this.operation = operation;
    this.timeout = timeout;
  }
}

/** The store is skipped for a while after repeated failures (circuit breaker open). */
export class CircuitOpenError extends CachetError {
  constructor() {
    super('E_CIRCUIT_OPEN', 'store skipped after repeated failures (circuit breaker open)');
  }
}

/** A loader ran past `timeout.hard` and no stale value could stand in for it. */
export class LoaderTimeoutError extends CachetError {
  /** The cache key. */
  readonly key: string;
  /** The hard timeout, in ms. */
  readonly timeout: number;

  constructor(key: string, timeout: number) {
    super('E_LOADER_HARD_TIMEOUT', `loader for "${key}" did not finish within ${timeout} ms`);
    this.key = key;
    this.timeout = timeout;
  }
}

/** Arguments from which no cache key can be built (a function, a symbol, a circular structure). */
export class KeyError extends CachetError {
  constructor(message: string) {
    super('E_CACHE_KEY', message);
  }
}

/** A loader failure served from the cache (`cacheErrors`): the origin failed recently and is not called again yet. */
export class CachedLoaderError extends CachetError {
  /** The failure's original class name, e.g. `'TypeError'`. */
  readonly originalName: string;
  /** The original error's `code`, if it had one. */
  readonly originalCode: string | undefined;

  constructor(failure: { name: string; message: string; code?: string }) {
    super('E_CACHED_LOADER_ERROR', failure.message);
    this.originalName = failure.name;
    this.originalCode = failure.code;
  }
}
