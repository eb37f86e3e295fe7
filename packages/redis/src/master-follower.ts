import type { RedisClientOptions } from '@redis/client';
import { LazyClient, type RedisClient, type SubscriberConnection } from './lazy-client.js';
import type { LazySentinel } from './lazy-sentinel.js';
import type { RedisSentinelOptions } from './sentinel.js';

/** A host and port, as the sentinels report them. */
interface RedisNode {
  host: string;
  port: number;
}

/**
 * A plain node-redis client to the master that a {@link LazySentinel} follows, for SUBSCRIBE. When the
 * Sentinel client moves to a new master, this closes its client and opens one to the new master, and
 * the `onReady` handlers get the new client (with no subscriptions: the caller subscribes again).
 *
 * Why not the Sentinel client's own SUBSCRIBE: node-redis 5 keeps those subscriptions on an internal
 * connection that tells no one when it reconnects (so missed messages would go unnoticed), and which
 * breaks when the master it points to dies before the sentinels notice.
 */
export class MasterFollower implements SubscriberConnection {
  /** The Sentinel client whose master this follows. */
  #source: LazySentinel;
  /** Options of the client to the master (the sentinel options' `nodeClientOptions`). */
  #options: RedisClientOptions | undefined;
  /** Maps the addresses the sentinels report to reachable ones (the sentinel options' `nodeAddressMap`). */
  #addressMap: RedisSentinelOptions['nodeAddressMap'];
  /** First-connection time limit, in ms. */
  #timeout: number;
  /** What this connection serves, for error messages. */
  #what: string;
  /** The master the sentinels named last. */
  #master?: RedisNode;
  /** The client to that master, once someone asked for one. */
  #current?: { node: RedisNode; client: LazyClient };
  /** Set by the first `get()`: from then on a new master gets a client at once. */
  #wanted = false;
  /** Handlers run when a client becomes ready. */
  #handlers: Array<(client: RedisClient) => void> = [];
  /** Set by `close()`. */
  #closed = false;

  constructor(what: string, source: LazySentinel, options: RedisSentinelOptions, connectTimeout = 2000) {
    this.#what = what;
    this.#source = source;
    this.#options = options.nodeClientOptions as RedisClientOptions | undefined;
    this.#addressMap = options.nodeAddressMap;
    this.#timeout = connectTimeout;
    source.sentinel.on('topology-change', (event: { type: string; node?: RedisNode }) => {
      if (event.type === 'MASTER_CHANGE' && event.node !== undefined) this.#follow(event.node);
    });
  }

  /** Resolves a client connected to the master (or rejects after the first-connection timeout). */
  async get(): Promise<RedisClient> {
    this.#wanted = true;
    if (this.#current === undefined) {
      // The Sentinel client's first connection names the master (a MASTER_CHANGE event).
      await this.#source.get();
      if (this.#current === undefined && this.#master !== undefined) this.#open(this.#master);
    }
    if (this.#current === undefined) throw new Error(`${this.#what}: the sentinels named no master`);
    return this.#current.client.get();
  }

  /** Runs `handler` whenever a client becomes ready: after a reconnect, or to a new master. */
  onReady(handler: (client: RedisClient) => void): void {
    this.#handlers.push(handler);
  }

  /** Closes the client; no new one is opened afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#current?.client.close();
  }

  /** The sentinels named `node` as master: move there if a client is wanted and it is somewhere else. */
  #follow(node: RedisNode): void {
    if (this.#closed) return;
    const mapped = mapNode(node, this.#addressMap);
    this.#master = mapped;
    const current = this.#current;
    if (current !== undefined && current.node.host === mapped.host && current.node.port === mapped.port)
      return;
    if (current === undefined && !this.#wanted) return;
    current?.client.close();
    // Connect now, since no caller may ask: the handlers hear of it through 'ready'.
    this.#open(mapped)
      .get()
      .catch(() => {});
  }

  /** Opens a client to `node` that reports to the handlers while it is the current one. */
  #open(node: RedisNode): LazyClient {
    const client = new LazyClient(
      this.#what,
      { client: this.#options, connectTimeout: this.#timeout },
      { socket: { host: node.host, port: node.port } },
    );
    const current = { node, client };
    this.#current = current;
    client.onReady((ready) => {
      if (this.#current !== current || this.#closed) return;
      for (const handler of this.#handlers) handler(ready);
    });
    return client;
  }
}

/** `node` through node-redis's `nodeAddressMap` (an object keyed by `host:port`, or a function). */
function mapNode(node: RedisNode, map: RedisSentinelOptions['nodeAddressMap']): RedisNode {
  const address = `${node.host}:${node.port}`;
  const mapped = typeof map === 'function' ? map(address) : map?.[address];
  return mapped ?? node;
}
