import { growArray } from './typed-array.js';

/**
 * Width in milliseconds of one bucket at each level of the wheel (powers of two, so bucket boundaries
 * never drift): ~1 s, ~65 s, ~70 min, ~37 h, ~6 days; the last level is a single overflow bucket.
 */
const SPANS = [2 ** 10, 2 ** 16, 2 ** 22, 2 ** 27, 2 ** 29, 2 ** 29];
/** Buckets per level; a level covers `SPANS[i] * BUCKETS[i]`, which is `SPANS[i + 1]` or more. */
const BUCKETS = [64, 64, 32, 4, 1];
/** Node id of each level's first bucket sentinel. */
const OFFSETS = [0, 64, 128, 160, 164];
/** Node ids below this are bucket sentinels; the entry in slot `s` is node `SENTINELS + s`. */
const SENTINELS = 165;
/** `prev` of a node that is in no bucket. */
const UNLINKED = -1;

/**
 * A hierarchical timer wheel (as in Caffeine's `TimerWheel`, after Varghese & Lauck) that finds the
 * expired entries of a store without scanning it. Each entry with a TTL sits in the bucket of its
 * expiry time at the coarsest level that still tells it apart from now; as time passes, the buckets
 * that time has swept past are emptied: their entries are expired, or re-filed one level finer.
 * Scheduling and unscheduling are O(1); advancing costs O(expired + re-filed) plus at most the buckets
 * crossed, however long the store was idle. Reads never touch the wheel: they check `expires[slot]`.
 */
export class ExpiryWheel {
  /** Expiry time (epoch ms) of the entry in each slot; `0` for none. Read directly by the store. */
  expires: Float64Array;
  /** Next node in the circular bucket list, for sentinels and entries alike. */
  #next: Int32Array;
  /** Previous node in the bucket list, or `UNLINKED`. */
  #prev: Int32Array;
  /** The time the wheel was last advanced to (epoch ms). */
  #time: number;
  /** Before this time, `advance` has no bucket to sweep. */
  #nextTick: number;
  /** Called for each entry found expired, after the sweep; the store removes it (and calls `unschedule`). */
  #onExpire: (slot: number) => void;

  constructor(capacity: number, now: number, onExpire: (slot: number) => void) {
    this.expires = new Float64Array(capacity);
    this.#next = new Int32Array(SENTINELS + capacity);
    this.#prev = new Int32Array(SENTINELS + capacity).fill(UNLINKED);
    this.#time = now;
    this.#nextTick = nextTick(now);
    this.#onExpire = onExpire;
    this.clear();
  }

  /** Makes room for slot ids below `capacity`. */
  grow(capacity: number): void {
    this.expires = growArray(this.expires, capacity);
    this.#next = growArray(this.#next, SENTINELS + capacity);
    this.#prev = growArray(this.#prev, SENTINELS + capacity, UNLINKED);
  }

  /** Files the entry in `slot` to expire at `at` (epoch ms), moving it if it was filed already. */
  schedule(slot: number, at: number): void {
    const node = SENTINELS + slot;
    if (this.#prev[node] !== UNLINKED) this.#unlink(node);
    this.expires[slot] = at;
    this.#link(this.#bucketOf(at), node);
  }

  /** Takes the entry in `slot` off the wheel: it no longer expires. */
  unschedule(slot: number): void {
    const node = SENTINELS + slot;
    if (this.#prev[node] !== UNLINKED) this.#unlink(node);
    this.expires[slot] = 0;
  }

  /** Moves the wheel to `now`, expiring every entry in the buckets swept past. */
  advance(now: number): void {
    if (now < this.#nextTick) return;
    const previous = this.#time;
    this.#time = now;
    this.#nextTick = nextTick(now);
    const expired: number[] = [];
    // A level sweeps only if its own tick changed; a finer level always ticks when a coarser one does.
    for (let level = 0; level < BUCKETS.length; level++) {
      const previousTicks = Math.floor(previous / SPANS[level]);
      const delta = Math.floor(now / SPANS[level]) - previousTicks;
      if (delta <= 0) break;
      this.#sweep(level, previousTicks, delta, now, expired);
    }
    // Expire only after the sweep: the store's evict listeners may set or delete entries, which must
    // not happen while bucket lists are half walked. Skip the ones such a listener already handled.
    for (const slot of expired) {
      const at = this.expires[slot];
      if (at !== 0 && at <= now && this.#prev[SENTINELS + slot] === UNLINKED) this.#onExpire(slot);
    }
  }

  /** Empties every bucket and forgets every expiry. */
  clear(): void {
    const next = this.#next;
    const prev = this.#prev;
    for (let sentinel = 0; sentinel < SENTINELS; sentinel++) {
      next[sentinel] = sentinel;
      prev[sentinel] = sentinel;
    }
    prev.fill(UNLINKED, SENTINELS);
    this.expires.fill(0);
  }

  /**
   * Sweeps the buckets of `level` from the previous tick up to the current one (all of them at most):
   * collects the expired entries into `expired` and re-files the others, one level finer.
   */
  #sweep(level: number, previousTicks: number, delta: number, now: number, expired: number[]): void {
    const buckets = BUCKETS[level];
    const steps = Math.min(delta + 1, buckets);
    const next = this.#next;
    const prev = this.#prev;
    for (let step = 0; step < steps; step++) {
      const sentinel = OFFSETS[level] + ((previousTicks + step) % buckets);
      // Detach the whole bucket first: re-filed entries may land in this very bucket again.
      let node = next[sentinel];
      next[sentinel] = sentinel;
      prev[sentinel] = sentinel;
      while (node !== sentinel) {
        const following = next[node];
        prev[node] = UNLINKED;
        const slot = node - SENTINELS;
        if (this.expires[slot] <= now) expired.push(slot);
        else this.#link(this.#bucketOf(this.expires[slot]), node);
        node = following;
      }
    }
  }

  /** The sentinel of the bucket for an expiry at `at`: the finest level whose range still covers it. */
  #bucketOf(at: number): number {
    const duration = at - this.#time;
    for (let level = 0; level < BUCKETS.length - 1; level++) {
      if (duration < SPANS[level + 1]) {
        return OFFSETS[level] + (Math.floor(at / SPANS[level]) % BUCKETS[level]);
      }
    }
    return OFFSETS[BUCKETS.length - 1];
  }

  /** Appends `node` to the bucket whose sentinel is `sentinel`. */
  #link(sentinel: number, node: number): void {
    const next = this.#next;
    const prev = this.#prev;
    const tail = prev[sentinel];
    next[tail] = node;
    prev[node] = tail;
    next[node] = sentinel;
    prev[sentinel] = node;
  }

  /** Takes `node` out of its bucket. */
  #unlink(node: number): void {
    const next = this.#next;
    const prev = this.#prev;
    const before = prev[node];
    const after = next[node];
    next[before] = after;
    prev[after] = before;
    prev[node] = UNLINKED;
  }
}

/** The first time after `now` at which the finest level ticks. */
function nextTick(now: number): number {
  return (Math.floor(now / SPANS[0]) + 1) * SPANS[0];
}
