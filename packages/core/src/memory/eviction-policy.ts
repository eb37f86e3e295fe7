/**
 * The contract between {@link MemoryStore} and its eviction policies.
 *
 * The store owns the entries: it keeps a `Map` from key to *slot* (a small integer) and the keys and
 * values in arrays indexed by slot. A policy owns only the order of those slots, kept in typed arrays
 * indexed by the same slot ids, so no object is allocated per entry. The store tells the policy what
 * happened to a slot; the policy answers, when the store is over its bounds, which slot to evict.
 */

/** The names of the built-in policies. */
export type PolicyName = 'lru' | 'lfu' | 'tinylfu';

/**
 * Slot ids `0 .. RESERVED_SLOTS - 1` are never given to entries, so that policies can keep list
 * sentinels in the same typed arrays as the entries, and so that `0` can mean "no slot".
 */
export const RESERVED_SLOTS = 4;

/** Decides which entry of a {@link MemoryStore} to evict when it is over its bounds. */
export interface EvictionPolicy {
  /** The policy's name, as given in `MemoryStoreOptions.policy`. */
  readonly name: PolicyName;
  /** Grows the per-slot arrays so that slot ids below `capacity` are valid; never shrinks. */
  grow(capacity: number): void;
  /** A new entry was stored in `slot` under `key` (a miss that became a write). */
  insert(slot: number, key: string): void;
  /** The entry in `slot` was read (a hit) or overwritten: the hot path, O(1). */
  access(slot: number): void;
  /** The entry in `slot` left the store for a reason of the store's own (delete, expiry, refusal). */
  remove(slot: number): void;
  /** Unlinks the entry to evict and returns its slot, or `0` when the policy holds no entry. */
  evict(): number;
  /** Forgets every entry (and any learned history). */
  clear(): void;
}
