import { hashKey } from './frequency-sketch.js';
import { growArray, growList } from './typed-array.js';

/** Most of the table's buckets that may hold a slot before it doubles: 3 in 4 at most. */
const MAX_LOAD = 0.75;

/**
 * The store's key → slot index: an open-addressing hash table with linear probing, in typed arrays.
 *
 * A `Map<string, number>` costs about 29 bytes per entry at a million entries (three 8-byte fields per
 * entry and half a bucket, at up to twice the room needed), and a write that evicts pays for a
 * `Map.set` and a `Map.delete`. Here the table is one `Int32Array` of slot ids (0: empty; slot 0 is
 * reserved), 2 to 4 times as long as the entries (4 to 8 bytes per entry), and each slot keeps its key
 * and its key's hash: 16 to 20 bytes per entry in all, and an insert or a removal is a few array reads
 * and writes. The price is a hash of the key in JavaScript on each lookup, where `Map` uses the hash
 * V8 keeps in the string.
 *
 * - The hash is seeded at random per store (see {@link hashKey}), so that no one can precompute keys
 *   that pile up in one run of buckets (hash flooding).
 * - Removal shifts the entries after the removed one back (no tombstones), so a lookup never probes
 *   past the first empty bucket and the table never needs a rehash for deleted entries.
 */
export class KeyIndex {
  /** Slot id of each bucket, 0 for an empty one; a power of two long. */
  #table: Int32Array;
  /** `#table.length - 1`. */
  #mask: number;
  /** Key of each slot (`undefined` for free and reserved slots). */
  keys: (string | undefined)[];
  /** Seeded hash of each slot's key. */
  hashes: Int32Array;
  /** Seed of the key hash. */
  readonly seed: number;
  /** Number of keys held. */
  size = 0;

  /** An index for slot ids below `capacity`. */
  constructor(capacity: number, seed: number) {
    this.seed = seed;
    this.keys = new Array(capacity).fill(undefined);
    this.hashes = new Int32Array(capacity);
    this.#table = new Int32Array(tableLength(capacity));
    this.#mask = this.#table.length - 1;
  }

  /** The slot of `key`, or 0 when it has none. */
  find(key: string): number {
    return this.findHashed(key, hashKey(key, this.seed));
  }

  /** The slot of `key`, whose hash is `hash`, or 0 when it has none. */
  findHashed(key: string, hash: number): number {
    const table = this.#table;
    const mask = this.#mask;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const slot = table[at];
      if (slot === 0 || (this.hashes[slot] === hash && this.keys[slot] === key)) return slot;
    }
  }

  /** Files `key`, whose hash is `hash` and which has no slot yet, under `slot`. */
  insert(slot: number, key: string, hash: number): void {
    this.keys[slot] = key;
    this.hashes[slot] = hash;
    const table = this.#table;
    const mask = this.#mask;
    let at = hash & mask;
    while (table[at] !== 0) at = (at + 1) & mask;
    table[at] = slot;
    this.size++;
  }

  /** Removes the key of `slot` (which must hold one); returns that key. */
  remove(slot: number): string {
    const table = this.#table;
    const mask = this.#mask;
    const hashes = this.hashes;
    let hole = hashes[slot] & mask;
    while (table[hole] !== slot) hole = (hole + 1) & mask;
    // Backward shift: an entry after the hole moves into it unless its own bucket lies (cyclically)
    // between the hole and it, where a lookup starting there would no longer pass the hole.
    for (let at = (hole + 1) & mask; ; at = (at + 1) & mask) {
      const next = table[at];
      if (next === 0) break;
      if (((at - (hashes[next] & mask)) & mask) >= ((at - hole) & mask)) {
        table[hole] = next;
        hole = at;
      }
    }
    table[hole] = 0;
    const key = this.keys[slot] as string;
    this.keys[slot] = undefined;
    this.size--;
    return key;
  }

  /** Grows the per-slot arrays to `capacity` slots, and the table with them (rebuilt). */
  grow(capacity: number): void {
    this.keys = growList(this.keys, capacity);
    this.hashes = growArray(this.hashes, capacity);
    const length = tableLength(capacity);
    if (length <= this.#table.length) return;
    this.#table = new Int32Array(length);
    this.#mask = length - 1;
    const keys = this.keys;
    for (let slot = 0; slot < keys.length; slot++) {
      if (keys[slot] === undefined) continue;
      let at = this.hashes[slot] & this.#mask;
      while (this.#table[at] !== 0) at = (at + 1) & this.#mask;
      this.#table[at] = slot;
    }
  }

  /** Forgets every key. */
  clear(): void {
    this.#table.fill(0);
    this.keys.fill(undefined);
    this.size = 0;
  }
}

/** Buckets for `capacity` slots: the smallest power of two they fill to at most {@link MAX_LOAD}. */
function tableLength(capacity: number): number {
  return 2 ** Math.max(3, Math.ceil(Math.log2(capacity / MAX_LOAD)));
}
