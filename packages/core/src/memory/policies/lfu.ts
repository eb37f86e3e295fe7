import type { EvictionPolicy } from '../eviction-policy.js';
import { growArray } from '../typed-array.js';

/** Sentinel of the circular list of frequency buckets, in increasing frequency. */
const BUCKETS = 0;
/** "No slot" / "no bucket" in the per-bucket lists. */
const NONE = 0;
/** Counts stop here (the counters are 32-bit). */
const MAX_FREQUENCY = 0xffffffff;

/**
 * Least frequently used in O(1) (Shah, Mitra & Matani, "An O(1) algorithm for implementing the LFU
 * cache eviction scheme", 2010): entries with the same use count share a *bucket*, a list in arrival
 * order; buckets form a list in increasing count. A hit moves the entry to the next bucket (creating
 * it if the next one's count is not exactly one more); the victim is the eldest entry of the first
 * bucket, ties broken by recency. The newest entry is never the victim, so a new key can enter a cache
 * full of old ones. Counts never age: prefer `'tinylfu'` unless popularity is stable.
 */
export class LfuPolicy implements EvictionPolicy {
  readonly name = 'lfu';
  /** Next (younger) slot in the same bucket, or `NONE`. */
  #next: Uint32Array;
  /** Previous (elder) slot in the same bucket, or `NONE`. */
  #prev: Uint32Array;
  /** Bucket of each slot. */
  #bucketOf: Uint32Array;
  /** Use count of each bucket. */
  #count: Uint32Array;
  /** Eldest slot of each bucket. */
  #head: Uint32Array;
  /** Youngest slot of each bucket. */
  #tail: Uint32Array;
  /** Next bucket in increasing count (circular through `BUCKETS`). */
  #nextBucket: Uint32Array;
  /** Previous bucket in increasing count. */
  #prevBucket: Uint32Array;
  /** Ids of buckets freed, reused first. */
  #freeBuckets: number[] = [];
  /** The next never-used bucket id. */
  #nextBucketId = 1;
  /** The entry inserted last, spared by `evict`. */
  #newest = NONE;

  constructor(capacity: number) {
    this.#next = new Uint32Array(capacity);
    this.#prev = new Uint32Array(capacity);
    this.#bucketOf = new Uint32Array(capacity);
    this.#count = new Uint32Array(capacity);
    this.#head = new Uint32Array(capacity);
    this.#tail = new Uint32Array(capacity);
    this.#nextBucket = new Uint32Array(capacity);
    this.#prevBucket = new Uint32Array(capacity);
  }

  grow(capacity: number): void {
    this.#next = growArray(this.#next, capacity);
    this.#prev = growArray(this.#prev, capacity);
    this.#bucketOf = growArray(this.#bucketOf, capacity);
    this.#count = growArray(this.#count, capacity);
    this.#head = growArray(this.#head, capacity);
    this.#tail = growArray(this.#tail, capacity);
    this.#nextBucket = growArray(this.#nextBucket, capacity);
    this.#prevBucket = growArray(this.#prevBucket, capacity);
  }

  insert(slot: number): void {
    let first = this.#nextBucket[BUCKETS];
    if (first === BUCKETS || this.#count[first] !== 1) first = this.#newBucket(1, BUCKETS);
    this.#append(first, slot);
    this.#newest = slot;
  }

  access(slot: number): void {
    const bucket = this.#bucketOf[slot];
    const count = this.#count[bucket];
    if (count === MAX_FREQUENCY) return;
    const following = this.#nextBucket[bucket];
    if (following !== BUCKETS && this.#count[following] === count + 1) {
      this.#detach(slot);
      this.#append(following, slot);
    } else if (this.#head[bucket] === slot && this.#tail[bucket] === slot) {
      // Alone in its bucket and no bucket for count + 1: the bucket itself moves up.
      this.#count[bucket] = count + 1;
    } else {
      const created = this.#newBucket(count + 1, bucket);
      this.#detach(slot);
      this.#append(created, slot);
    }
  }

  remove(slot: number): void {
    if (slot === this.#newest) this.#newest = NONE;
    this.#detach(slot);
  }

  evict(): number {
    const first = this.#nextBucket[BUCKETS];
    if (first === BUCKETS) return NONE;
    let victim = this.#head[first];
    if (victim === this.#newest) {
      // Spare the newest entry: take the next eldest, in this bucket or the next one.
      const second = this.#nextBucket[first];
      if (this.#next[victim] !== NONE) victim = this.#next[victim];
      else if (second !== BUCKETS) victim = this.#head[second];
    }
    this.remove(victim);
    return victim;
  }

  clear(): void {
    this.#nextBucket[BUCKETS] = BUCKETS;
    this.#prevBucket[BUCKETS] = BUCKETS;
    this.#freeBuckets.length = 0;
    this.#nextBucketId = 1;
    this.#newest = NONE;
  }

  /** Takes `slot` out of its bucket, and the bucket out of the list if it is now empty. */
  #detach(slot: number): void {
    const bucket = this.#bucketOf[slot];
    const before = this.#prev[slot];
    const after = this.#next[slot];
    if (before === NONE) this.#head[bucket] = after;
    else this.#next[before] = after;
    if (after === NONE) this.#tail[bucket] = before;
    else this.#prev[after] = before;
    if (this.#head[bucket] === NONE) {
      const previous = this.#prevBucket[bucket];
      const following = this.#nextBucket[bucket];
      this.#nextBucket[previous] = following;
      this.#prevBucket[following] = previous;
      this.#freeBuckets.push(bucket);
    }
  }

  /** Appends `slot` at the youngest end of `bucket`. */
  #append(bucket: number, slot: number): void {
    const tail = this.#tail[bucket];
    this.#prev[slot] = tail;
    this.#next[slot] = NONE;
    if (tail === NONE) this.#head[bucket] = slot;
    else this.#next[tail] = slot;
    this.#tail[bucket] = slot;
    this.#bucketOf[slot] = bucket;
  }

  /** A new empty bucket for `count`, linked right after `after`. */
  #newBucket(count: number, after: number): number {
    const bucket = this.#freeBuckets.length > 0 ? this.#freeBuckets.pop()! : this.#nextBucketId++;
    this.#count[bucket] = count;
    this.#head[bucket] = NONE;
    this.#tail[bucket] = NONE;
    const following = this.#nextBucket[after];
    this.#nextBucket[after] = bucket;
    this.#prevBucket[bucket] = after;
    this.#nextBucket[bucket] = following;
    this.#prevBucket[following] = bucket;
    return bucket;
  }
}
