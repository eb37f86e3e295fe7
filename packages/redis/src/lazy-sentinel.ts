import type { RedisConnectError } from './errors.js';
import { backoff, type CommandConnection, type Commands, settledWithin, withTimeout } from './lazy-client.js';
import { createSentinelClient, type RedisSentinelClient, type RedisSentinelOptions } from './sentinel.js';

/**
 * A node-redis Sentinel client connected on first use, for the commands of the bus and the lock.
 *
 * Two things differ from a plain client, and this class covers them. A Sentinel client whose first
 * connection failed cannot connect again until destroyed, so a failed attempt is destroyed and retried
 * in the background (with the usual backoff) until it succeeds or the connection is closed. And once
 * connected, a Sentinel client never fails fast: during a failover it holds commands until it has found
 * the new master, so each command here is bounded by `connectTimeout`, and one given up on is never sent
 * afterwards (a lock taken after its caller gave up would be held by no one until it expired).
 */
export class LazySentinel implements CommandConnection {
  /** The Sentinel client, created at construction, connected on first use. */
  readonly sentinel: RedisSentinelClient;
  /** The first connection attempt, raced against the timeout. */
  #connecting?: Promise<void>;
  /** First-connection and per-command time limit, in ms. */
  #timeout: number;
  /** What this connection serves, for error messages. */
  #what: string;
  /** Set by `close()`. */
  #closed = false;
  /** PUBLISH and EVAL, each bounded by the timeout. */
  #commands: Commands;

  constructor(what: string, options: RedisSentinelOptions, connectTimeout = 2000) {
    this.#what = what;
    this.#timeout = connectTimeout;
    this.sentinel = createSentinelClient(options, connectTimeout);
    // node-redis throws on an 'error' event without a listener; errors surface as rejected commands.
    this.sentinel.on('error', () => {});
    this.#commands = {
      publish: (channel, message) => this.#send(['PUBLISH', channel, message]),
      eval: (script, { keys, arguments: args }) =>
        this.#send(['EVAL', script, String(keys.length), ...keys, ...args]),
    };
  }

  /** Resolves the commands once connected (or rejects after the first-connection timeout). */
  async get(): Promise<Commands> {
    if (this.sentinel.isReady) return this.#commands;
    if (this.#connecting === undefined) {
      const attempt = this.#connect();
      attempt.catch(() => {});
      this.#connecting = withTimeout(attempt, this.#timeout, this.#what);
    }
    await this.#connecting;
    return this.#commands;
  }

  /**
   * Closes every connection of the Sentinel client; pending commands are rejected. Waits at most the
   * timeout: node-redis's `destroy()` waits for a search for the master to end, which a sentinel that
   * accepts connections and never answers holds up for its silence limit, or for ever without one.
   */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.sentinel.isOpen) await settledWithin(this.sentinel.destroy(), this.#timeout);
  }

  /** Connects; when node-redis gives up, destroys the client (so it may connect again) and retries. */
  async #connect(): Promise<void> {
    for (let retries = 0; ; retries++) {
      try {
        await this.sentinel.connect();
        return;
      } catch (error) {
        if (this.#closed) throw error;
        await this.sentinel.destroy().catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, backoff(retries)).unref());
        if (this.#closed) throw error;
      }
    }
  }

  /**
   * Sends `args` to the master; rejects with {@link RedisConnectError} if it is not answered within the
   * timeout. The abort signal keeps a command that is still held then from being sent later.
   */
  #send(args: string[]): Promise<unknown> {
    const abortSignal = AbortSignal.timeout(this.#timeout);
    const command = this.sentinel.sendCommand(false, args, { abortSignal });
    return withTimeout(command, this.#timeout, this.#what, false);
  }
}
