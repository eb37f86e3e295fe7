import { randomBytes } from 'node:crypto';
import type { Lock, LockAcquireOptions, LockHandle } from '@cachet/core';
import { openConnections } from './connections.js';
import type {
  CommandConnection,
  RedisClient,
  RedisConnectionOptions,
  SubscriberConnection,
} from './lazy-client.js';

/** Options of {@link RedisLock}. */
export interface RedisLockOptions extends RedisConnectionOptions {
  /** Prefix of the lock keys; default `'cachet:lock:'`. The release channel is `prefix + 'released'`. */
  prefix?: string;
  /** Fallback re-try delay while waiting, in ms: starts at `min`, doubles up to `max`. Default 20 / 500. */
  retry?: { min?: number; max?: number };
}

/** SET NX PX, or the remaining PTTL of the lock someone else holds. */
const ACQUIRE = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -3 end
return redis.call('PTTL', KEYS[1])`;
/** DEL if the token still matches, then wake the waiters. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1]); redis.call('PUBLISH', ARGV[2], KEYS[1]); return 1
end
return 0`;
/** PEXPIRE if the token still matches. */
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/**
 * A distributed {@link Lock} over Redis, so that one loader per key runs across all processes.
 *
 * `acquire` is `SET key token NX PX ttl` with a random token; `release` and `extend` act only if the
 * token still matches (Lua, atomic), so a holder whose lock expired cannot free someone else's. A lock
 * whose holder dies expires after its `ttl`. Waiters do not poll in a tight loop: a release publishes
 * on `prefix + 'released'` and wakes them at once; as a fallback (a missed message, an expired holder)
 * they retry after a bounded backoff that never sleeps past the lock's remaining PTTL.
 *
 * Commands fail fast while Redis is down (offline queue off), so the cache falls back to running the
 * loader without the lock rather than waiting. A release that fails is retried in the background until
 * the lock would have expired anyway, so that waiters do not wait out the ttl of a lock nobody holds.
 *
 * Under Sentinel (the `sentinel` option) the lock lives on the master. During a failover a command
 * waits at most `connectTimeout` for the new master; a lock taken on the old master just before it
 * failed may not have reached the replica (replication is asynchronous), so a second loader may start.
 *
 * @example
 * ```ts
 * const cache = new Cache({ store: redisStore(url), bus: new RedisBus({ url }), lock: new RedisLock({ url }) });
 * ```
 */
export class RedisLock implements Lock {
  /** Connection for EVAL. */
  #commands: CommandConnection;
  /** Connection subscribed to release notifications, opened by the first waiter. */
  #subscriber: SubscriberConnection;
  /** Subscription in progress or done. */
  #subscribing?: Promise<void>;
  /** The client the release subscription is on. */
  #subscribedOn?: RedisClient;
  /** Waiters by lock key: functions that wake them. */
  #waiters = new Map<string, Set<() => void>>();
  /** Key prefix. */
  #prefix: string;
  /** Release channel. */
  #channel: string;
  /** Backoff bounds, in ms. */
  #minDelay: number;
  #maxDelay: number;
  /** Set by `disconnect()`. */
  #closed = false;

  /**
   * @param options where Redis is (a URL, or `sentinel`), the key prefix and the retry backoff; see
   * {@link RedisLockOptions}.
   */
  constructor(options: RedisLockOptions | string = {}) {
    const opts = typeof options === 'string' ? { url: options } : options;
    this.#prefix = opts.prefix ?? 'cachet:lock:';
    this.#channel = this.#prefix + 'released';
    this.#minDelay = opts.retry?.min ?? 20;
    this.#maxDelay = opts.retry?.max ?? 500;
    if (!(this.#minDelay > 0) || !(this.#maxDelay >= this.#minDelay)) {
      throw new TypeError('RedisLock: retry must satisfy 0 < min <= max (ms)');
    }
    const connections = openConnections('RedisLock', opts, {
      commands: 'RedisLock',
      subscriber: 'RedisLock subscriber',
    });
    this.#commands = connections.commands;
    this.#subscriber = connections.subscriber;
    // Under Sentinel, a new master means a new subscriber client: subscribe there too.
    this.#subscriber.onReady((client) => {
      if (this.#subscribedOn === undefined || client === this.#subscribedOn || this.#closed) return;
      this.#subscribedOn = undefined;
      this.#subscribing = undefined;
      this.#subscribeReleases();
    });
  }

  /**
   * Acquires the lock `key`. Resolves a handle, or `undefined` if it is still held by someone else
   * after `wait` ms. Rejects if Redis cannot be reached.
   *
   * @param options.ttl how long the lock lives if not released or extended, in ms.
   * @param options.wait how long to wait for a held lock, in ms (0: try once).
   */
  async acquire(key: string, { ttl, wait }: LockAcquireOptions): Promise<LockHandle | undefined> {
    if (!(ttl > 0)) throw new TypeError(`RedisLock.acquire: ttl must be a positive number of ms, got ${ttl}`);
    const lockKey = this.#prefix + key;
    const token = randomBytes(16).toString('base64url');
    const deadline = Date.now() + Math.max(0, wait);
    let delay = this.#minDelay;
    for (;;) {
      const client = await this.#commands.get();
      const reply = Number(
        await client.eval(ACQUIRE, { keys: [lockKey], arguments: [token, String(Math.ceil(ttl))] }),
      );
      if (reply === -3) return this.#handle(lockKey, token, ttl);
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.#closed) return undefined;
      // Wake on the release message, or after the backoff, never past the holder's expiry or our deadline.
      const pttl = reply > 0 ? reply : 1;
      await this.#subscribeReleases();
      await this.#sleep(lockKey, Math.min(delay, pttl + 1, remaining));
      delay = Math.min(delay * 2, this.#maxDelay);
    }
  }

  /** Closes the connections; waiters give up and resolve `undefined`. */
  async disconnect(): Promise<void> {
    this.#closed = true;
    for (const wakers of this.#waiters.values()) for (const wake of wakers) wake();
    this.#waiters.clear();
    await Promise.all([this.#commands.close(), this.#subscriber.close()]);
  }

  /** A handle that releases and extends by token. */
  #handle(lockKey: string, token: string, ttl: number): LockHandle {
    let expiresAt = Date.now() + ttl;
    return {
      release: () => this.#release(lockKey, token, expiresAt),
      extend: async (ttl: number) => {
        const client = await this.#commands.get();
        const reply = await client.eval(EXTEND, {
          keys: [lockKey],
          arguments: [token, String(Math.ceil(ttl))],
        });
        const extended = Number(reply) === 1;
        if (extended) expiresAt = Date.now() + ttl;
        return extended;
      },
    };
  }

  /**
   * Releases the lock if `token` still holds it. A release that fails (Redis unreachable, a failover
   * under way) is retried with the backoff until the lock would have expired anyway: otherwise waiters
   * would wait out the ttl of a lock whose holder is done. Rejects with the last error if it never got
   * through.
   */
  async #release(lockKey: string, token: string, expiresAt: number): Promise<void> {
    for (let delay = this.#minDelay; ; delay = Math.min(delay * 2, this.#maxDelay)) {
      try {
        const client = await this.#commands.get();
        await client.eval(RELEASE, { keys: [lockKey], arguments: [token, this.#channel] });
        return;
      } catch (error) {
        if (this.#closed || Date.now() + delay >= expiresAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }

  /** Subscribes once to the release channel; a failure only means waiters rely on the backoff. */
  #subscribeReleases(): Promise<void> {
    this.#subscribing ??= this.#subscriber
      .get()
      .then(async (client) => {
        await client.subscribe(this.#channel, (lockKey: string) => this.#wake(lockKey));
        this.#subscribedOn = client;
      })
      .catch(() => {
        this.#subscribing = undefined;
      });
    return this.#subscribing;
  }

  /** Sleeps up to `ms`, or until `lockKey` is released. */
  #sleep(lockKey: string, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let wakers = this.#waiters.get(lockKey);
      if (wakers === undefined) this.#waiters.set(lockKey, (wakers = new Set()));
      const set = wakers;
      const wake = () => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && this.#waiters.get(lockKey) === set) this.#waiters.delete(lockKey);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
    });
  }

  /** Wakes every local waiter of `lockKey`. */
  #wake(lockKey: string): void {
    const wakers = this.#waiters.get(lockKey);
    if (wakers === undefined) return;
    for (const wake of [...wakers]) wake();
  }
}
