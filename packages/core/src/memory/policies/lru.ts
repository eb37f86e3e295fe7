import type { EvictionPolicy } from '../eviction-policy.js';
import { growArray } from '../typed-array.js';

/** The list's sentinel: `next[HEAD]` is the least recently used slot, `prev[HEAD]` the most recent. */
const HEAD = 0;

/**
 * Least recently used: one doubly linked list through two typed arrays, in access order. A hit moves
 * the slot to the tail; the head is the victim. Every operation is O(1) and allocates nothing.
 */
export class LruPolicy implements EvictionPolicy {
  readonly name = 'lru';
  /** Next slot towards the most recent end; a circular list through the sentinel `HEAD`. */
  #next: Uint32Array;
  /** Previous slot towards the least recent end. */
  #prev: Uint32Array;

  constructor(capacity: number) {
    this.#next = new Uint32Array(capacity);
    this.#prev = new Uint32Array(capacity);
  }

  grow(capacity: number): void {
    this.#next = growArray(this.#next, capacity);
    this.#prev = growArray(this.#prev, capacity);
  }

  insert(slot: number): void {
    // Link before the sentinel, i.e. at the most recent end.
    const next = this.#next;
    const prev = this.#prev;
    const tail = prev[HEAD];
    next[tail] = slot;
    prev[slot] = tail;
    next[slot] = HEAD;
    prev[HEAD] = slot;
  }

  access(slot: number): void {
    const next = this.#next;
    const after = next[slot];
    // Already the most recent: the common case for a hot key costs one load.
    if (after === HEAD) return;
    const prev = this.#prev;
    const before = prev[slot];
    next[before] = after;
    prev[after] = before;
    const tail = prev[HEAD];
    next[tail] = slot;
    prev[slot] = tail;
    next[slot] = HEAD;
    prev[HEAD] = slot;
  }

  remove(slot: number): void {
    const next = this.#next;
    const prev = this.#prev;
    const before = prev[slot];
    const after = next[slot];
    next[before] = after;
    prev[after] = before;
  }

  evict(): number {
    const victim = this.#next[HEAD];
    if (victim !== HEAD) this.remove(victim);
    return victim;
  }

  clear(): void {
    this.#next[HEAD] = HEAD;
    this.#prev[HEAD] = HEAD;
  }
}
