import KeyvMemcache from '@keyv/memcache';
import { guardClosedConnections } from './close-guard.js';
import { MemcacheClearError } from './errors.js';
import { safeKey } from './safe-key.js';

/** What {@link MemcacheStore.cachet} declares. */
const RAW = { raw: true, rejectsOnError: true } as const;

/** Memcached reads an expiry above 30 days as an absolute Unix time, in seconds. */
const MAX_RELATIVE_SECONDS = 60 * 60 * 24 * 30;

/**
 * The Keyv store that {@link memcacheStore} returns: `@keyv/memcache`'s `KeyvMemcache` with
 * what it lacks for Cachet (a `Cache` calls it directly, see {@link MemcacheStore.cachet}):
 * - keys Memcached cannot take are hashed ({@link safeKey}), and keys are no longer trimmed;
 * - a TTL is rounded *up* to whole seconds (at least 1), so a TTL under 1 s no longer means "never
 *   expires", and TTLs over 30 days are sent as absolute times as Memcached requires. Exact
 *   millisecond expiry is enforced on read by Keyv and by Cachet's envelope;
 * - `clear()` throws {@link MemcacheClearError} instead of flushing every server, unless `allowFlush`;
 * - a request waiting on a connection that closes fails (and is retried) instead of hanging forever
 *   ({@link guardClosedConnections}), and a failed call rejects without an unheard `'error'` event
 *   crashing the process.
 */
export class MemcacheStore extends KeyvMemcache {
  /**
   * Tells `@cachet/core` that this store keeps strings as they are, reads keys with
   * {@link cachetGet} and {@link cachetGetMany} and takes TTLs in ms, so a `Cache` calls it directly,
   * not through Keyv (whose layer cost an L2 hit 3.3 times a bare memjs `get` instead of 1.7, in
   * `src/memcache.ts` of the bench), and that every failing call rejects.
   */
  get cachet(): { readonly raw: true; readonly rejectsOnError: true } {
    return RAW;
  }

  /** Whether `clear()` may flush the servers. */
  #allowFlush: boolean;

  /**
   * @param servers comma-separated `host:port` list.
   * @param options memjs and KeyvMemcache options, plus `allowFlush`.
   */
  constructor(servers: string, options: Record<string, unknown> & { allowFlush?: boolean }) {
    const { allowFlush, ...rest } = options;
    super(servers, rest);
    this.#allowFlush = allowFlush === true;
    guardClosedConnections((this.client as unknown as { servers: unknown[] }).servers);
  }

  /** The Memcached key for `key`: namespaced, then made safe. */
  override formatKey(key: string): string {
    return safeKey(this.namespace ? `${this.namespace}:${key}` : key);
  }

  /**
   * For `@cachet/core`: the string stored under `key`, `null` when there is none. A failure is emitted
   * as an `'error'` event (when someone listens), then rejects. What a 0.1.0 `Cache` stored through Keyv
   * is read as the string Keyv wrapped (see {@link unwrapped}).
   */
  cachetGet(key: string): Promise<string | null> {
    return new Promise((resolve, reject) => {
      this.client.get(this.formatKey(key), (error: Error | null, value: Buffer | null) => {
        if (error) {
          this.emit('error', error);
          reject(error);
        } else resolve(value === null ? null : unwrapped(value.toString()));
      });
    });
  }

  /**
   * For `@cachet/core`: {@link cachetGet} of each key, at once (memjs writes each request as it is
   * made, and each server answers them in order); rejects if one fails. Corking the sockets so that
   * a server's requests leave in one write saved system calls but no time (paired runs of
   * `src/memcache.ts`).
   */
  cachetGetMany(keys: string[]): Promise<Array<string | null>> {
    return Promise.all(keys.map((key) => this.cachetGet(key)));
  }

  /**
   * Deletes `keys`; whether every one was there. Rejects if one delete fails, where `KeyvMemcache`
   * resolves `false` and only emits the error.
   */
  override async deleteMany(keys: string[]): Promise<boolean> {
    const deleted = await Promise.all(keys.map((key) => this.delete(key)));
    return deleted.every(Boolean);
  }

  /** Stores `value` under `key` for `ttl` ms (rounded up to whole seconds), or without expiry. */
  override async set(key: string, value: any, ttl?: number): Promise<void> {
    await this.client.set(this.formatKey(key), value, { expires: expirySeconds(ttl) });
  }

  /** Flushes every server if `allowFlush` was given; otherwise rejects with {@link MemcacheClearError}. */
  override async clear(): Promise<void> {
    if (!this.#allowFlush) throw new MemcacheClearError();
    await super.clear();
  }

  /**
   * Emits like `EventEmitter`, except that an `'error'` nobody listens to is dropped instead of thrown:
   * `KeyvMemcache` emits each failure before rejecting the call with it, and an unheard `'error'` would
   * throw out of memjs's callback, crash the process and leave the call unsettled. Keyv and Cachet listen.
   */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'error' && this.listenerCount('error') === 0) return false;
    return super.emit(event, ...args);
  }

  /** Closes the connections to every server. */
  async disconnect(): Promise<void> {
    this.client.close();
  }
}

/** How Keyv's JSON (`{ value, expires }`) around a string it stored begins. */
const KEYV_WRAPPED = '{"value":';

/**
 * `text`, or the string inside it when Keyv wrapped it. `@cachet/memcache` 0.1.0 was used through Keyv,
 * and a `Cache` now stores its strings as they are: the entries, tag and clear times a 0.1.0 process
 * wrote (or, during an upgrade, still writes) are read too, so that none of its invalidations is missed.
 * A `Cache`'s own strings never begin so: an envelope begins `{"v":`, a time with a digit.
 */
function unwrapped(text: string): string {
  if (!text.startsWith(KEYV_WRAPPED)) return text;
  try {
    const inner = (JSON.parse(text) as { value?: unknown }).value;
    return typeof inner === 'string' ? inner : text;
  } catch {
    return text;
  }
}

/** Memcached's expiry field for a TTL in ms: 0 for none, else seconds rounded up, absolute past 30 days. */
export function expirySeconds(ttl: number | undefined): number {
  if (ttl === undefined || !(ttl > 0) || ttl === Number.POSITIVE_INFINITY) return 0;
  const seconds = Math.ceil(ttl / 1000);
  return seconds > MAX_RELATIVE_SECONDS ? Math.ceil((Date.now() + ttl) / 1000) : seconds;
}
