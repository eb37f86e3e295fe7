import {
  createSentinel,
  type RedisClientOptions,
  type RedisSentinelOptions as SentinelClientOptions,
} from '@redis/client';
import { backoff } from './lazy-client.js';

/**
 * Where a Sentinel-managed Redis is: the master group's name and some of the sentinels that monitor it.
 * Everything else is node-redis's `createSentinel` options, passed through (`nodeClientOptions` for
 * credentials, TLS or the database of the master connections, `sentinelClientOptions` for the
 * sentinels' own, `nodeAddressMap` when the sentinels report addresses you cannot reach directly…).
 * A sentinel silent for twice `connectTimeout` (at least 1 s) is dropped and the next one asked; set
 * `sentinelClientOptions.socket.socketTimeout` to change that (and `pingInterval` below it).
 *
 * @example
 * ```ts
 * const sentinel = { name: 'mymaster', sentinels: [{ host: '10.0.0.5', port: 26379 }, { host: '10.0.0.6', port: 26379 }] };
 * ```
 */
export interface RedisSentinelOptions extends Omit<SentinelClientOptions, 'name' | 'sentinelRootNodes'> {
  /** The master group name, as in the sentinels' `sentinel monitor <name> ...` line. */
  name: string;
  /** Some of the sentinels, e.g. `[{ host: '10.0.0.5', port: 26379 }]`; the others are discovered. */
  sentinels: Array<{ host: string; port: number }>;
}

/** A node-redis Sentinel client of the default shape. */
export type RedisSentinelClient = ReturnType<typeof createSentinel>;

/**
 * Reconnect strategy of the master and replica connections under Sentinel: the usual backoff for four
 * tries (about 750 ms), then give up, so that the Sentinel client asks the sentinels where the master
 * is now. node-redis's own strategy retries the old address forever, and a Sentinel client that opens
 * a connection to a master that died before the sentinels noticed then waits on it forever
 * (redis/node-redis#3061).
 */
export function nodeBackoff(retries: number): number | Error {
  return retries < 4 ? backoff(retries) : new Error('gave up reconnecting; asking the sentinels');
}

/**
 * How long a sentinel connection may stay silent before it is dropped, for a `connectTimeout`: twice
 * that, and at least a second. A sentinel answers at once; one that accepted the connection and then
 * never answers (a stopped process) would otherwise hold the search for the master for ever, since
 * node-redis waits for its reply without a time limit (redis/node-redis#2962, #3385). The connection
 * kept open to one sentinel, to hear of failovers, is pinged every half of it, so it never goes silent.
 */
export function sentinelSilence(connectTimeout: number): number {
  return Math.max(1000, 2 * connectTimeout);
}

/**
 * A node-redis Sentinel client with Cachet's fail-fast defaults, which `options` override: no offline
 * queue and {@link nodeBackoff} on the node connections, `connectTimeout` on every socket, and on the
 * sentinels' sockets a time limit on silence ({@link sentinelSilence}) with a PING to keep the one that
 * listens for failovers busy.
 */
export function createSentinelClient(
  options: RedisSentinelOptions,
  connectTimeout: number,
): RedisSentinelClient {
  const { name, sentinels, nodeClientOptions, sentinelClientOptions, ...rest } = options;
  const silence = sentinelSilence(connectTimeout);
  return createSentinel({
    ...rest,
    name,
    sentinelRootNodes: sentinels,
    nodeClientOptions: {
      disableOfflineQueue: true,
      ...nodeClientOptions,
      socket: { connectTimeout, reconnectStrategy: nodeBackoff, ...nodeClientOptions?.socket },
    } as RedisClientOptions,
    sentinelClientOptions: {
      pingInterval: silence / 2,
      ...sentinelClientOptions,
      socket: { connectTimeout, socketTimeout: silence, ...sentinelClientOptions?.socket },
    } as RedisClientOptions,
  });
}

/**
 * Throws a TypeError naming the option and the fix if `options` cannot describe a Sentinel deployment;
 * `prefix` is where the options sit in the caller's (`'sentinel.'` for the bus and the lock).
 */
export function checkSentinelOptions(
  what: string,
  options: Partial<RedisSentinelOptions> | undefined,
  prefix = '',
): void {
  if (typeof options?.name !== 'string' || options.name === '') {
    throw new TypeError(
      `${what}: ${prefix}name must be the master group name the sentinels monitor (as in their "sentinel monitor <name> ..." line), e.g. "mymaster"`,
    );
  }
  const sentinels = options.sentinels;
  if (!Array.isArray(sentinels) || sentinels.length === 0) {
    throw new TypeError(
      `${what}: ${prefix}sentinels must list at least one sentinel, e.g. [{ host: "10.0.0.5", port: 26379 }]`,
    );
  }
  for (const node of sentinels) {
    if (typeof node?.host !== 'string' || !Number.isInteger(node.port) || node.port <= 0) {
      throw new TypeError(
        `${what}: each of ${prefix}sentinels must be { host: string, port: number }, e.g. { host: "10.0.0.5", port: 26379 }; got ${JSON.stringify(node)}`,
      );
    }
  }
}

/** Throws a TypeError unless `connectTimeout` is absent or a positive number of ms. */
export function checkConnectTimeout(what: string, connectTimeout: number | undefined): void {
  if (connectTimeout !== undefined && !(connectTimeout > 0)) {
    throw new TypeError(`${what}: connectTimeout must be a positive number of ms, got ${connectTimeout}`);
  }
}
