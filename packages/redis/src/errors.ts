/**
 * Errors of `@cachet/redis`. Each has a stable `code` to match on, and the underlying error as `cause`.
 */

/** Redis could not be reached within the configured time. */
export class RedisConnectError extends Error {
  /** Stable error code. */
  readonly code = 'E_REDIS_CONNECT' as const;
  /** How long the connection was waited for, in ms. */
  readonly timeout: number;

  constructor(what: string, timeout: number, options?: { cause?: unknown }) {
    super(`${what}: could not connect to Redis within ${timeout} ms`, options);
    this.name = 'RedisConnectError';
    this.timeout = timeout;
  }
}

/** A message on the bus channel was not a Cachet bus message (another publisher, or a version skew). */
export class RedisBusMessageError extends Error {
  /** Stable error code. */
  readonly code = 'E_REDIS_BUS_MESSAGE' as const;
  /** The raw message, truncated to 200 characters. */
  readonly raw: string;

  constructor(raw: string, options?: { cause?: unknown }) {
    super('RedisBus ignored a message that is not a Cachet bus message', options);
    this.name = 'RedisBusMessageError';
    this.raw = raw.slice(0, 200);
  }
}

/**
 * `clear()` on a Redis store without a namespace: refused, nothing deleted. `@keyv/redis` would delete
 * every string key of the database whose name has no `::`, other applications' keys included.
 */
export class RedisClearError extends Error {
  /** Stable error code. */
  readonly code = 'E_REDIS_CLEAR' as const;

  constructor() {
    super(
      "clear() refused: the Redis store has no namespace, so it would delete every string key of the database whose name has no '::', other applications' keys too. " +
        "Give the store a `namespace` (redisStore({ url, namespace: 'my-app' }), or the Keyv that wraps it), or set `noNamespaceAffectsAll: true` to empty the whole database (FLUSHDB) on purpose.",
    );
    this.name = 'RedisClearError';
  }
}
