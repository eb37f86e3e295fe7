import type { TrackingListener } from '@cachet/core';

/** The parts of a single-node node-redis client that tracking uses. */
interface TrackingClient {
  readonly isReady: boolean;
  sendCommand(args: string[]): Promise<unknown>;
  on(event: 'ready' | 'error' | 'end' | 'reconnecting', listener: () => void): unknown;
  _getQueue(): { addPushHandler(handler: (push: unknown[]) => boolean): void };
}

/** One prefix tracked: the whole key prefix in Redis, and whom to tell. */
interface Tracked {
  /** The prefix as Redis sees it (the store's namespace included). */
  readonly prefix: string;
  /** How many characters of a reported key are the store's namespace. */
  readonly strip: number;
  /**
   * Whom to tell: one listener per `Cache` of that namespace over this store, held weakly (the cache
   * holds its own), so that caches made and dropped over a long-lived store do not pile up here.
   */
  readonly listeners: Array<WeakRef<TrackingListener>>;
  /** Whether Redis tracks it on the current connection. */
  on: boolean;
}

/**
 * Redis's client tracking in broadcast mode (`CLIENT TRACKING ON BCAST PREFIX p`) on the store's own
 * RESP3 connection: Redis then pushes an `invalidate` message for every write, delete or expiry of a
 * key under `p`, by any client, and sends it ahead of the reply of every command it runs afterwards
 * on this connection. So a time the engine keeps instead of reading it is never older than what a read
 * on this connection finds. The tracking is set up again on every new connection; between losing one
 * and having it again, the listeners are off (writes may go unseen).
 */
export class WriteTracking {
  readonly #client: TrackingClient;
  readonly #tracked: Tracked[] = [];

  private constructor(client: TrackingClient) {
    this.#client = client;
    client._getQueue().addPushHandler((push) => this.#pushed(push));
    client.on('ready', () => {
      for (const tracked of this.#tracked) this.#start(tracked);
    });
    // A dropped connection (and with it, its tracking), or a reply stream the client had to reset.
    const lost = () => this.#lost();
    client.on('error', lost);
    client.on('reconnecting', lost);
    client.on('end', lost);
  }

  /**
   * Tracking over `client`, a client speaking RESP3, when it is a single-node client (the
   * invalidations must come on the connection of the reads); undefined otherwise.
   */
  static over(client: unknown): WriteTracking | undefined {
    const candidate = client as Partial<TrackingClient> & { getSentinelNode?: unknown };
    if (typeof candidate._getQueue !== 'function' || candidate.getSentinelNode !== undefined)
      return undefined;
    // node-redis has no public way to see pushes without its own client-side cache: its command
    // queue's push handlers are used, and a client without them tracks nothing.
    const queue = candidate._getQueue() as Partial<ReturnType<TrackingClient['_getQueue']>> | undefined;
    if (typeof queue?.addPushHandler !== 'function') return undefined;
    return new WriteTracking(candidate as TrackingClient);
  }

  /**
   * Tracks keys under `prefix` (`namespaced` being that prefix with the store's namespace in front),
   * from the client's next connection, or now if it is connected.
   */
  add(prefix: string, namespaced: string, listener: TrackingListener): void {
    // Redis tracks a prefix once per connection: caches of one namespace share it.
    const same = this.#tracked.find((tracked) => tracked.prefix === namespaced);
    if (same !== undefined) {
      same.listeners.push(new WeakRef(listener));
      if (same.on) listener.on();
      return;
    }
    const strip = namespaced.length - prefix.length;
    const tracked: Tracked = { prefix: namespaced, strip, listeners: [new WeakRef(listener)], on: false };
    this.#tracked.push(tracked);
    if (this.#client.isReady) this.#start(tracked);
  }

  /**
   * Asks Redis to track `tracked` on this connection, and turns its listeners on once Redis has said
   * yes. Redis refuses a prefix that overlaps one already tracked here (another cache's namespace
   * that starts with this one's), and any prefix on a server before 6 or an account without `CLIENT`:
   * that cache then reads its times with every entry, as without tracking.
   */
  #start(tracked: Tracked): void {
    if (tracked.on) return;
    this.#client.sendCommand(['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', tracked.prefix]).then(
      () => {
        if (tracked.on || !this.#client.isReady) return;
        tracked.on = true;
        tell(tracked, (listener) => listener.on());
      },
      () => {},
    );
  }

  /** The connection is gone, or its replies were reset: what Redis reported may be incomplete. */
  #lost(): void {
    for (const tracked of this.#tracked) {
      if (!tracked.on) continue;
      tracked.on = false;
      tell(tracked, (listener) => listener.off());
    }
  }

  /** Handles a RESP3 push: an `invalidate` is ours (a null key list: the database was flushed). */
  #pushed(push: unknown[]): boolean {
    if (String(push[0]) !== 'invalidate') return false;
    const keys = push[1] as unknown[] | null;
    if (keys === null) {
      for (const tracked of this.#tracked) {
        if (!tracked.on) continue;
        tell(tracked, (listener) => {
          listener.off();
          listener.on();
        });
      }
      return true;
    }
    for (const raw of keys) {
      const key = String(raw);
      for (const tracked of this.#tracked) {
        if (!tracked.on || !key.startsWith(tracked.prefix)) continue;
        const own = key.slice(tracked.strip);
        tell(tracked, (listener) => listener.changed(own));
      }
    }
    return true;
  }
}

/** Calls `what` with each listener of `tracked` still alive, and forgets the others. */
function tell(tracked: Tracked, what: (listener: TrackingListener) => void): void {
  const listeners = tracked.listeners;
  let alive = 0;
  for (let i = 0; i < listeners.length; i++) {
    const listener = listeners[i].deref();
    if (listener === undefined) continue;
    listeners[alive++] = listeners[i];
    what(listener);
  }
  listeners.length = alive;
}
