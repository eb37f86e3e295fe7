import type { TrackingListener } from '@cachet/core';
import KeyvRedis, { type KeyvRedisOptions, type RedisClientConnectionType } from '@keyv/redis';
import { RedisClearError } from './errors.js';
import { settledWithin } from './lazy-client.js';
import { WriteTracking } from './tracking.js';

/** Key of {@link RedisStore}'s RESP3 fallback, which only {@link redisStore} sets up (not exported). */
export const RESP2_FALLBACK = Symbol('RedisStore.resp2Fallback');

/**
 * The Keyv store that {@link redisStore}, {@link redisClusterStore} and {@link redisSentinelStore}
 * return: `@keyv/redis`'s `KeyvRedis` with two fixes and a faster read. The first fix: `KeyvRedis`
 * treats a client that is still connecting as connected, so with the offline queue off (our default,
 * so a down Redis fails fast) the first burst of concurrent calls would be rejected; here concurrent
 * first callers share one connection attempt. The second: `disconnect()` always returns, within
 * `connectionTimeout` (see {@link RedisStore.disconnect}). The read: `get` and `getMany` send their
 * command at once while the client is connected. And `clear()` without a namespace is refused (see
 * {@link RedisStore.clear}).
 *
 * It is a plain Keyv store: use it as `new Cache({ store })` or `new Keyv({ store })`.
 */
export class RedisStore<T = string> extends KeyvRedis<T> {
  /** The RESP version the client speaks, when known: tracking needs 3. */
  #resp: number | undefined;
  /** Redis's client tracking of the engine's times, once a `Cache` asked for it. */
  #tracking: WriteTracking | undefined;

  /**
   * @param client the node-redis client (single node, Sentinel or cluster) or what `KeyvRedis` takes.
   * @param options `KeyvRedis`'s options.
   * @param resp the RESP version `client` was made with; with 3, on a single node, a `Cache` has
   *   Redis report writes to its tag and clear times (see {@link cachetTrack}).
   */
  constructor(
    client?: ConstructorParameters<typeof KeyvRedis>[0],
    options?: KeyvRedisOptions,
    resp?: number,
  ) {
    super(client, options);
    this.#resp = resp;
  }

  /**
   * Tells `@cachet/core` that this store keeps strings as they are, reads many keys with one MGET and
   * takes TTLs in ms, so a `Cache` calls it directly instead of through a second Keyv serialization;
   * and, with `throwOnErrors` (the default), that every failing call rejects, so an error the client
   * emits outside any call (a sentinel it cannot reach while it looks for the master, a reconnection
   * attempt) is reported without counting towards the circuit breaker.
   */
  get cachet(): { readonly raw: true; readonly rejectsOnError: boolean } {
    return { raw: true, rejectsOnError: this.throwOnErrors };
  }
  /** The connection attempt in flight, shared by concurrent callers. */
  #pending?: Promise<RedisClientConnectionType>;

  /** Resolves the connected client, connecting once for all concurrent callers. */
  override getClient(): Promise<RedisClientConnectionType> {
    if (this.#pending !== undefined) return this.#pending;
    // Open means connected, or reconnecting in the background: commands then fail fast.
    if (this.client.isOpen) return Promise.resolve(this.client);
    const pending: Promise<RedisClientConnectionType> = super.getClient().finally(() => {
      // A client replaced meanwhile (see `RESP2_FALLBACK`) may already have its own attempt.
      if (this.#pending === pending) this.#pending = undefined;
    });
    this.#pending = pending;
    return pending;
  }

  /**
   * For {@link redisStore}, which made the client speak RESP3 for tracking without being asked to:
   * if the server refuses RESP3 (`HELLO 3` unknown, as on Redis before 6 and some proxies, or
   * `NOPROTO`), the client is replaced by `fallback()`, a RESP2 one, and the store stops offering
   * tracking. The calls made while the first client was connecting fail (the cache runs the loader);
   * the RESP2 client connects at once, for the calls after them. Without this, the client would retry
   * `HELLO 3` for ever and the cache would never reach Redis.
   */
  [RESP2_FALLBACK](fallback: () => RedisClientConnectionType): void {
    const first = this.client;
    const refused = (error: unknown): void => {
      if (!refusesResp3(error) || this.client !== first) return;
      first.off('error', refused);
      this.#resp = 2;
      // Its listeners are off (the first client has no connection): from now on their caches read times.
      this.#tracking = undefined;
      this.client = fallback();
      this.#pending = undefined;
      if (first.isOpen) Promise.resolve(first.destroy()).catch(() => {});
      this.getClient().catch(() => {});
    };
    first.on('error', refused);
  }

  /**
   * `KeyvRedis.get`, sending the command at once while the client is connected (no `getClient()` turn
   * in between, and on a single node straight through `sendCommand`); otherwise the same as
   * `KeyvRedis`'s, which connects first.
   */
  override get<U = T>(key: string): Promise<U | undefined> {
    const client = this.client;
    if (!ready(client)) return super.get<U>(key);
    return (this.#sendGet(client, key) as Promise<U | null>).then(orUndefined, (error: unknown) =>
      this.#failed(error, undefined),
    );
  }

  /**
   * `KeyvRedis.getMany`: one MGET on a single node (sent at once while the client is connected, with
   * no per-call map of the replies); on a cluster, one MGET per slot as `KeyvRedis` does.
   */
  override getMany<U = T>(keys: string[]): Promise<Array<U | undefined>> {
    const client = this.client;
    if (keys.length === 0 || !ready(client) || this.isCluster()) return super.getMany<U>(keys);
    return (this.#sendMGet(client, keys) as Promise<Array<U | null>>).then(allOrUndefined, (error: unknown) =>
      this.#failed(error, new Array<U | undefined>(keys.length).fill(undefined)),
    );
  }

  /**
   * For `@cachet/core` (see {@link cachet}): {@link get} with the reply as Redis gave it, `null` for a
   * missing key, so that the engine reads it in the very job the reply settles (mapping it first would
   * take one more). A failure rejects, after the `error` event {@link get} emits. With `throwOnErrors`
   * off, or before the client is ready, it is {@link get}.
   */
  cachetGet(key: string): Promise<string | null | undefined> {
    const client = this.client;
    if (!ready(client) || !this.throwOnErrors) return this.get<string>(key);
    return this.#emitting(this.#sendGet(client, key));
  }

  /** For `@cachet/core`: {@link getMany} with the replies as Redis gave them, as {@link cachetGet}. */
  cachetGetMany(keys: string[]): Promise<Array<string | null | undefined>> {
    const client = this.client;
    if (keys.length === 0 || !ready(client) || this.isCluster() || !this.throwOnErrors) {
      return this.getMany<string>(keys);
    }
    return this.#emitting(this.#sendMGet(client, keys));
  }

  /**
   * For `@cachet/core`: has Redis report every write to a key under `prefix` (in the namespace), by
   * any client, with client tracking in broadcast mode on this store's connection, so that the
   * invalidations arrive ahead of the replies of later reads. A `Cache` asks for its tag and clear
   * times; a hit is then a GET of the entry alone, without a bus. Only on a single node over RESP3
   * (see {@link redisStore}'s `tracking`); elsewhere the listener is never turned on, and the cache
   * reads the times with every entry.
   */
  cachetTrack(prefix: string, listener: TrackingListener): void {
    if (this.#resp !== 3) return;
    this.#tracking ??= WriteTracking.over(this.client);
    this.#tracking?.add(prefix, this.createKeyPrefix(prefix, this.namespace), listener);
  }

  /** Sends GET of `key` (in the namespace) on a ready client. */
  #sendGet(client: RedisClientConnectionType, key: string): Promise<string | null> {
    const name = this.createKeyPrefix(key, this.namespace);
    return (singleNode(client) ? client.sendCommand(['GET', name]) : client.get(name)) as Promise<
      string | null
    >;
  }

  /** Sends one MGET of `keys` (in the namespace) on a ready client that is not a cluster. */
  #sendMGet(client: RedisClientConnectionType, keys: string[]): Promise<Array<string | null>> {
    const namespace = this.namespace;
    const names = namespace ? keys.map((key) => this.createKeyPrefix(key, namespace)) : keys;
    return (
      singleNode(client) ? client.sendCommand(['MGET', ...names]) : (client as MGet).mGet(names)
    ) as Promise<Array<string | null>>;
  }

  /**
   * `reply` itself, with its failure emitted as an `error` event on the side: the caller's handlers
   * are then the reply's own, with no promise in between.
   */
  #emitting<R>(reply: Promise<R>): Promise<R> {
    reply.catch(this.#emitError);
    return reply;
  }

  /**
   * Emits a failed read's error. An emitter set to throw when no one listens (Hookified's
   * `throwOnEmptyListeners`) would otherwise leave a rejection no one handles: the caller has the
   * error from the reply already.
   */
  readonly #emitError = (error: unknown): void => {
    try {
      this.emit('error', error);
    } catch {}
  };

  /**
   * `KeyvRedis.clear`, kept to what is the store's: with a `namespace`, SCAN and UNLINK of that
   * namespace's keys; with `noNamespaceAffectsAll: true`, FLUSHDB, as asked. With neither, it rejects
   * with {@link RedisClearError} and deletes nothing, where `KeyvRedis` would delete every string key
   * of the database whose name has no `::`. (A `Cache` never calls it: its `clear()` is a timestamp.)
   */
  override async clear(): Promise<void> {
    if (!this.namespace && !this.noNamespaceAffectsAll) throw new RedisClearError();
    return super.clear();
  }

  /**
   * `KeyvRedis.disconnect` (a graceful close, or with `force` a destroy), bounded by `connectionTimeout`
   * (2 s by default). A Sentinel client closes only once its search for the master has ended, which a
   * sentinel that accepts connections and never answers holds up for its silence limit (twice
   * `connectTimeout`), or for ever if `socketTimeout` was turned off: after that long the connections
   * are destroyed without waiting any longer.
   */
  override async disconnect(force?: boolean): Promise<void> {
    const closing = super.disconnect(force);
    if (await settledWithin(closing, this.connectionTimeout ?? 2000)) return closing;
    // A Sentinel client destroys its connections only once its search for the master has ended.
    if (force !== true) Promise.resolve(this.client.destroy()).catch(() => {});
  }

  /** A failed read, as `KeyvRedis` handles it: emitted, then thrown (`throwOnErrors`) or read as missing. */
  #failed<R>(error: unknown, missing: R): R {
    this.emit('error', error);
    if (this.throwOnErrors) throw error;
    return missing;
  }
}

/**
 * Whether a single-node or Sentinel client is connected and ready for commands (a cluster client has
 * no such flag: it takes the `KeyvRedis` path). While connecting, calls wait for the connection there.
 * A Sentinel client stays ready from its first connection until it is closed, failovers included: it
 * holds the commands it gets meanwhile until it has found the new master, as `KeyvRedis` would.
 */
function ready(client: RedisClientConnectionType): boolean {
  return (client as { isReady?: boolean }).isReady === true;
}

/**
 * Whether `error` is a server refusing RESP3 in the handshake: an error reply about `HELLO` (an unknown
 * command on Redis before 6; a proxy's "unsupported command"), other than an authentication failure,
 * or `NOPROTO` (RESP3 unsupported).
 */
function refusesResp3(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /^NOPROTO\b/.test(message) || (/\bhello\b/i.test(message) && !/^(NOAUTH|WRONGPASS)\b/.test(message));
}

/**
 * Whether a ready client is a single-node client, whose `sendCommand(args)` skips the per-command
 * parser and async wrapper of `client.get` (3 to 4% of a Redis hit in the bench's `src/redis.ts`);
 * a Sentinel client's `sendCommand` takes other arguments.
 */
function singleNode(client: RedisClientConnectionType): client is RedisClientConnectionType & SendCommand {
  return (client as { getSentinelNode?: unknown }).getSentinelNode === undefined;
}

/** A single-node client's raw command call. */
interface SendCommand {
  sendCommand(args: string[]): Promise<unknown>;
}

/** A client's MGET. */
interface MGet {
  mGet(keys: string[]): Promise<unknown>;
}

/** A reply's `null` (no such key) as Keyv's `undefined`. */
function orUndefined<U>(value: U | null): U | undefined {
  return value === null ? undefined : value;
}

/** MGET's replies with `null` (no such key) as Keyv's `undefined`, in place. */
function allOrUndefined<U>(values: Array<U | null>): Array<U | undefined> {
  for (let i = 0; i < values.length; i++) if (values[i] === null) values[i] = undefined as U;
  return values as Array<U | undefined>;
}

/** Options of `KeyvRedis` that Cachet passes through, with Cachet's defaults applied. */
export type RedisAdapterOptions = KeyvRedisOptions;

/** Cachet's defaults for `KeyvRedis`: reject on errors, bounded first connection, never FLUSHDB. */
export function adapterOptions(options: KeyvRedisOptions, connectTimeout: number): KeyvRedisOptions {
  return {
    throwOnConnectError: true,
    throwOnErrors: true,
    connectionTimeout: connectTimeout,
    noNamespaceAffectsAll: false,
    ...options,
  };
}

/** The `KeyvRedis` options a factory passes through. */
export const ADAPTER_OPTIONS = [
  'namespace',
  'keyPrefixSeparator',
  'clearBatchSize',
  'useUnlink',
  'noNamespaceAffectsAll',
  'throwOnConnectError',
  'throwOnErrors',
  'connectionTimeout',
] as const;

/** Picks the `KeyvRedis` options out of a factory's options. */
export function pickAdapterOptions(options: KeyvRedisOptions): KeyvRedisOptions {
  const picked: Record<string, unknown> = {};
  for (const key of ADAPTER_OPTIONS) if (options[key] !== undefined) picked[key] = options[key];
  return picked as KeyvRedisOptions;
}
