import Keyv5 from 'keyv';
import Keyv6 from 'keyv6';

/** Both Keyv majors Cachet supports, for suites that must pass on each. */
export const KEYV_VERSIONS = [
  ['keyv 5', (options?: object) => new Keyv5(options as never) as unknown as Keyv5],
  ['keyv 6', (options?: object) => new Keyv6(options as never) as unknown as Keyv5],
] as const;

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A promise with its resolve and reject exposed. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A Map-backed Keyv store adapter that can be told to fail: for unit tests of the engine's fail-open
 * paths only (integration suites use real servers and `@cachet/testing`'s wrapper).
 */
export class FlakyStore {
  /** What the next calls do. */
  mode: 'ok' | 'throw' | 'reject' | 'hang' = 'ok';
  /** Calls seen, by method. */
  readonly calls = { get: 0, set: 0, delete: 0 };
  readonly data = new Map<string, { value: unknown; expires?: number }>();
  readonly namespace = undefined;
  readonly opts = {};

  async get(key: string) {
    this.calls.get++;
    await this.#maybeFail();
    const hit = this.data.get(key);
    if (hit === undefined || (hit.expires !== undefined && hit.expires <= Date.now())) return undefined;
    return hit.value;
  }

  async set(key: string, value: unknown, ttl?: number) {
    this.calls.set++;
    await this.#maybeFail();
    this.data.set(key, { value, expires: ttl ? Date.now() + ttl : undefined });
    return true;
  }

  async delete(key: string) {
    this.calls.delete++;
    await this.#maybeFail();
    return this.data.delete(key);
  }

  async clear() {
    this.data.clear();
  }

  on() {
    return this;
  }

  async #maybeFail() {
    if (this.mode === 'throw') throw new Error('store is down');
    if (this.mode === 'reject') return Promise.reject(new Error('store refused'));
    if (this.mode === 'hang') return new Promise(() => {});
  }
}

/** An in-process bus hub: every `LocalBus` made from it hears the others. For engine unit tests only. */
export class LocalHub {
  readonly buses = new Set<LocalBus>();
  bus(): LocalBus {
    const bus = new LocalBus(this);
    this.buses.add(bus);
    return bus;
  }
}

/** A `Bus` over a {@link LocalHub}; `reconnect()` plays a lost connection coming back. */
export class LocalBus {
  #handler: ((message: import('../types.js').BusMessage) => void) | undefined;
  #onReconnect: (() => void) | undefined;
  constructor(readonly hub: LocalHub) {}
  async publish(message: import('../types.js').BusMessage) {
    for (const bus of this.hub.buses) queueMicrotask(() => bus.#handler?.(message));
  }
  async subscribe(handler: (message: import('../types.js').BusMessage) => void) {
    this.#handler = handler;
  }
  onReconnect(handler: () => void) {
    this.#onReconnect = handler;
  }
  reconnect() {
    this.#onReconnect?.();
  }
  async disconnect() {
    this.hub.buses.delete(this);
  }
}

/** A Map-backed raw-string store that counts the keys it is asked for. */
export class CountingStore {
  readonly cachet = { raw: true } as const;
  readonly data = new Map<string, string>();
  /** Keys asked for, per read. */
  readonly reads: string[][] = [];
  async get(key: string) {
    this.reads.push([key]);
    return this.data.get(key);
  }
  async getMany(keys: string[]) {
    this.reads.push(keys);
    return keys.map((key) => this.data.get(key));
  }
  async set(key: string, value: string) {
    this.data.set(key, value);
  }
  async delete(key: string) {
    return this.data.delete(key);
  }
}

/**
 * A {@link CountingStore} that reports writes under the prefixes asked for (`cachetTrack`), as Redis's
 * client tracking does, at the moment of the write. `hold()` keeps the replies of the reads sent from
 * then on until `release()`: each read runs when it is sent, or with `late` when it is released.
 */
export class TrackingStore extends CountingStore {
  readonly #tracked: Array<{
    prefix: string;
    listener: import('../engine/store-backend.js').TrackingListener;
  }> = [];
  #held: Array<() => void> | undefined;
  #late = false;

  cachetTrack(prefix: string, listener: import('../engine/store-backend.js').TrackingListener) {
    this.#tracked.push({ prefix, listener });
    listener.on();
  }
  hold(late = false) {
    this.#held = [];
    this.#late = late;
  }
  release() {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const reply of held) reply();
  }
  override async get(key: string) {
    return (await this.getMany([key]))[0];
  }
  override getMany(keys: string[]): Promise<Array<string | undefined>> {
    this.reads.push(keys);
    const read = () => keys.map((key) => this.data.get(key));
    const held = this.#held;
    if (held === undefined) return Promise.resolve(read());
    const early = this.#late ? undefined : read();
    return new Promise((resolve) => held.push(() => resolve(early ?? read())));
  }
  override async set(key: string, value: string) {
    this.data.set(key, value);
    for (const { prefix, listener } of this.#tracked) if (key.startsWith(prefix)) listener.changed(key);
  }
}
