/**
 * A count-min sketch of 4-bit counters that estimates how often each key was seen recently: the
 * "TinyLFU" of W-TinyLFU (Einziger, Friedman & Manes, 2017), laid out as Caffeine's `FrequencySketch`.
 *
 * - 16 counters per cache entry of capacity, 8 per 32-bit word, so 8 bytes per entry.
 * - A key's 4 counters lie in one 64-byte block (16 words), one per quarter: one cache line per
 *   lookup. The block comes from the key's hash, the counters from a re-mix of it.
 * - Aging: after `10 × capacity` increments every counter is halved, so the sketch tracks recent
 *   popularity, not all-time popularity; counters saturate at 15.
 * - Keys are hashed with a per-process random seed (see {@link hashKey}), so an attacker cannot
 *   precompute keys that collide in the sketch (hash flooding).
 */
export class FrequencySketch {
  /** The counters, 8 per word. */
  #table: Uint32Array;
  /** Number of 16-word blocks minus one (a power of two minus one). */
  #blockMask: number;
  /** Increments between two halvings. */
  #sampleSize: number;
  /** Increments since the last halving (adjusted for what halving truncated). */
  #size = 0;
  /** Called after each halving. */
  #onHalve: () => void;

  /**
   * A sketch sized for `capacity` entries; `onHalve` is called after each halving, for a caller that
   * keeps occurrences of its own before it {@link add}s them, and must age them too.
   */
  constructor(capacity: number, onHalve: () => void = () => {}) {
    this.#onHalve = onHalve;
    const blocks = Math.max(1, ceilPowerOfTwo(Math.max(1, capacity)) >>> 3);
    this.#table = new Uint32Array(blocks * 16);
    this.#blockMask = blocks - 1;
    this.#sampleSize = Math.max(10, 10 * capacity);
  }

  /** Estimated recent frequency of the key whose hash is `hash`, 0 to 15. */
  frequency(hash: number): number {
    const table = this.#table;
    const block = (hash & this.#blockMask) << 4;
    const h = rehash(hash);
    // The key's 4 counters, as in `increment`; the estimate is the least of them.
    let min = (table[block + (h & 3)] >>> (h & 28)) & 15;
    let count = (table[block + 4 + ((h >>> 8) & 3)] >>> ((h >>> 8) & 28)) & 15;
    if (count < min) min = count;
    count = (table[block + 8 + ((h >>> 16) & 3)] >>> ((h >>> 16) & 28)) & 15;
    if (count < min) min = count;
    count = (table[block + 12 + ((h >>> 24) & 3)] >>> ((h >>> 24) & 28)) & 15;
    return Math.min(count, min);
  }

  /** Counts one more occurrence of the key whose hash is `hash`; halves all counters every sample. */
  increment(hash: number): void {
    const table = this.#table;
    const block = (hash & this.#blockMask) << 4;
    const h = rehash(hash);
    // Counter k (0-3) of the key: word `block + 4k + (2 bits of h)`, nibble at bit `(3 bits of h) × 4`.
    // `~word >>> shift & 15` is 0 only for a saturated counter (15), which stays as it is.
    let added = 0;
    let at = block + (h & 3);
    let shift = h & 28;
    let word = table[at];
    if (((~word >>> shift) & 15) !== 0) {
      table[at] = word + (1 << shift);
      added = 1;
    }
    at = block + 4 + ((h >>> 8) & 3);
    shift = (h >>> 8) & 28;
    word = table[at];
    if (((~word >>> shift) & 15) !== 0) {
      table[at] = word + (1 << shift);
      added = 1;
    }
    at = block + 8 + ((h >>> 16) & 3);
    shift = (h >>> 16) & 28;
    word = table[at];
    if (((~word >>> shift) & 15) !== 0) {
      table[at] = word + (1 << shift);
      added = 1;
    }
    at = block + 12 + ((h >>> 24) & 3);
    shift = (h >>> 24) & 28;
    word = table[at];
    if (((~word >>> shift) & 15) !== 0) {
      table[at] = word + (1 << shift);
      added = 1;
    }
    if (added !== 0 && ++this.#size >= this.#sampleSize) this.#halve();
  }

  /**
   * Adds `count` occurrences of the key whose hash is `hash` at once, each counter saturating at 15,
   * without counting them towards the next halving: for a caller that counted them, with
   * {@link count}, when they happened, and kept them until now. The estimate afterwards is
   * `min(15, frequency(hash) + count)`, as if each had been added by {@link increment}.
   */
  add(hash: number, count: number): void {
    const table = this.#table;
    const block = (hash & this.#blockMask) << 4;
    const h = rehash(hash);
    for (let k = 0, bits = h; k < 4; k++, bits >>>= 8) {
      const at = block + (k << 2) + (bits & 3);
      const shift = bits & 28;
      const counter = (table[at] >>> shift) & 15;
      table[at] += (Math.min(15, counter + count) - counter) << shift;
    }
  }

  /**
   * Counts towards the next halving `n` occurrences that the caller keeps until it {@link add}s them,
   * and halves every counter once a sample is complete.
   */
  count(n: number): void {
    this.#size += n;
    if (this.#size >= this.#sampleSize) this.#halve();
  }

  /** Forgets all counts. */
  clear(): void {
    this.#table.fill(0);
    this.#size = 0;
  }

  /**
   * Halves every counter (aging). A halving truncates the odd counters; each increment touched 4
   * counters, so `odd / 4` increments were lost and are taken off the size too (as Caffeine does).
   */
  #halve(): void {
    const odd = halveCounters(this.#table);
    this.#size = (this.#size - (odd >>> 2)) >>> 1;
    this.#onHalve();
  }
}

/**
 * Halves every 4-bit counter of `table`; returns how many were odd (and lost their low bit). A module
 * function, not a method: V8 then keeps its loop optimized between the rare calls (the method version
 * was deoptimized on every call: its code after the loop had no type feedback when OSR compiled it).
 */
function halveCounters(table: Uint32Array): number {
  let odd = 0;
  for (let i = 0; i < table.length; i++) {
    const word = table[i];
    // Sum of the low bits of the 8 nibbles: multiply-accumulate them into the top nibble.
    odd += Math.imul(word & 0x11111111, 0x11111111) >>> 28;
    table[i] = (word >>> 1) & 0x77777777;
  }
  return odd;
}

/**
 * A 32-bit hash of `key`, seeded: FNV-1a over the UTF-16 code units, then murmur3's finalizer so that
 * every bit of the result depends on every bit of the input.
 */
export function hashKey(key: string, seed: number): number {
  let h = seed ^ 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A second, independent-looking hash of `hash`, to pick counters within a block. */
function rehash(hash: number): number {
  const h = Math.imul(hash, 0x31848bab);
  return h ^ (h >>> 14);
}

/** The smallest power of two ≥ `n`. */
function ceilPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}
