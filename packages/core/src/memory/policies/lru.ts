import type { EvictionPolicy } from '../eviction-policy.js';
import { growArray } from '../typed-array.js';

/** The list's sentinel: its `NEXT` is the least recently used slot, its `PREV` the most recent. */
const HEAD = 0;
/** Fields of a slot in `#links`. */
const NEXT = 0;
const PREV = 1;

/**
 * Least recently used: one doubly linked list through a typed array, in access order. A hit moves
 * the slot to the tail; the head is the victim. Every operation is O(1) and allocates nothing.
 */
export class LruPolicy implements EvictionPolicy {
  readonly name = 'lru';
  /**
   * Two fields per slot, side by side (at `slot << 1`) so that a hit reads one cache line for the
   * slot: `NEXT`, the slot towards the most recent end (a circular list through the sentinel
   * `HEAD`), and `PREV`, towards the least recent end.
   */
  #links: Uint32Array;

  constructor(capacity: number) {
    this.#links = new Uint32Array(capacity << 1);
  }

  grow(capacity: number): void {
    this.#links = growArray(this.#links, capacity << 1);
  }

  insert(slot: number): void {
    // Link before the sentinel, i.e. at the most recent end.
    const links = this.#links;
    const tail = links[(HEAD << 1) + PREV];
    links[(tail << 1) + NEXT] = slot;
    links[(slot << 1) + PREV] = tail;
    links[(slot << 1) + NEXT] = HEAD;
    links[(HEAD << 1) + PREV] = slot;
  }

  access(slot: number): void {
    const links = this.#links;
    const at = slot << 1;
    const after = links[at + NEXT];
    // Already the most recent: the common case for a hot key costs one load.
    if (after === HEAD) return;
    const before = links[at + PREV];
    links[(before << 1) + NEXT] = after;
    links[(after << 1) + PREV] = before;
    const tail = links[(HEAD << 1) + PREV];
    links[(tail << 1) + NEXT] = slot;
    links[at + PREV] = tail;
    links[at + NEXT] = HEAD;
    links[(HEAD << 1) + PREV] = slot;
  }

  remove(slot: number): void {
    const links = this.#links;
    const before = links[(slot << 1) + PREV];
    const after = links[(slot << 1) + NEXT];
    links[(before << 1) + NEXT] = after;
    links[(after << 1) + PREV] = before;
  }

  evict(): number {
    const victim = this.#links[(HEAD << 1) + NEXT];
    if (victim !== HEAD) this.remove(victim);
    return victim;
  }

  clear(): void {
    this.#links[(HEAD << 1) + NEXT] = HEAD;
    this.#links[(HEAD << 1) + PREV] = HEAD;
  }
}
