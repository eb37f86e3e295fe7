/**
 * PLACEHOLDER until the real MemoryStore lands (issue 3): a bounded Map with LRU order and lazy TTL.
 * The contract the engine relies on: synchronous get/set(key, value, ttlMs?)/has/delete/clear/size.
 */

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Most entries held; default 10,000. */
  maxEntries?: number;
  /** Most total size held, in units of `sizeOf`. */
  maxSize?: number;
  /** Size of one entry, for `maxSize`. */
  sizeOf?: (value: unknown, key: string) => number;
  /** Eviction policy; default `'tinylfu'`. */
  policy?: 'lru' | 'lfu' | 'tinylfu';
}

/** An in-process, bounded, Map-like store; also a Keyv store. */
export class MemoryStore<V = unknown> {
  /** Entries in LRU order, with their expiry (0 = none). */
  #map = new Map<string, { v: V; e: number }>();
  /** Entry bound. */
  #max: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.#max = options.maxEntries ?? 10_000;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): V | undefined {
    const slot = this.#map.get(key);
    if (slot === undefined) return undefined;
    if (slot.e !== 0 && slot.e <= Date.now()) {
      this.#map.delete(key);
      return undefined;
    }
    this.#map.delete(key);
    this.#map.set(key, slot);
    return slot.v;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V, ttl?: number): this {
    this.#map.delete(key);
    this.#map.set(key, { v: value, e: ttl && ttl > 0 ? Date.now() + ttl : 0 });
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as string);
    return this;
  }

  delete(key: string): boolean {
    return this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }
}
