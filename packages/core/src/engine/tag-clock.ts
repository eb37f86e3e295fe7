import type { Envelope } from '../types.js';

/**
 * Most tags whose times are followed (kept current by a bus or the store). Tags read once and never
 * invalidated (one per user, say) would otherwise pile up for the life of the process; past this many,
 * they are all forgotten and read from the store again on their next hit (one key more on one read
 * each: cheaper than keeping an order).
 */
export const MAX_FOLLOWED = 100_000;

/**
 * The invalidation times this process knows of: one per tag, and one for the whole cache (clear).
 * An entry created at or before any of them is dead. Nothing is scanned or deleted: this is what makes
 * tags and clears work on every store.
 *
 * Times come from this process's own invalidations, from the bus, and from L2 (tag keys read beside
 * entries). The map only grows with tags that were invalidated; entries older than the longest TTL
 * in use are pruned as the map grows.
 */
export class TagClock {
  /** Tag → latest invalidation time (epoch ms). */
  readonly #times = new Map<string, number>();
  /** Latest clear of the whole cache (epoch ms); 0 when never cleared. */
  #clearedAt = 0;
  /** Size at which the map is next pruned. */
  #pruneAt = 10_000;
  /** The longest lifetime (ms, grace included) of any entry written through this clock's cache. */
  maxAge = 0;
  /**
   * Tags whose times are kept current once read from the store, and whether the clear's is: by a bus
   * (its messages carry the times) or by the store itself (it reports writes to the tag and clear keys,
   * and those are forgotten, to be read again). Defined only while one of them is on. Reads of the store
   * then skip them: a hit is one key.
   */
  #followed: Set<string> | undefined;
  #clearFollowed = false;
  /** Whether a subscribed bus keeps the followed times current. */
  #busFollows = false;
  /** Whether the store reports writes to the tag and clear keys. */
  #storeFollows = false;
  /**
   * Bumped whenever followed times may have gone stale unseen (a time forgotten, a source turned on or
   * off). A read started under another epoch learns its times but does not follow them: a write the
   * store reported while the read was under way may have been made before it, or after.
   */
  #epoch = 0;

  /** Latest clear of the whole cache, 0 if none. */
  get clearedAt(): number {
    return this.#clearedAt;
  }

  /** Whether no tag was ever invalidated and the cache never cleared: the fast path skips checks. */
  get empty(): boolean {
    return this.#clearedAt === 0 && this.#times.size === 0;
  }

  /** The invalidation time of `tag`, or 0. */
  timeOf(tag: string): number {
    return this.#times.get(tag) ?? 0;
  }

  /** Records that `tags` were invalidated at `at` (keeps the later time if one is known). */
  invalidate(tags: readonly string[], at: number): void {
    for (const tag of tags) {
      const known = this.#times.get(tag);
      if (known === undefined || known < at) this.#times.set(tag, at);
    }
    if (this.#times.size > this.#pruneAt) this.#prune(at);
  }

  /** Records a clear of the whole cache at `at`. */
  clear(at: number): void {
    if (at > this.#clearedAt) this.#clearedAt = at;
  }

  /** Whether an entry created at `created` with `tags` was invalidated since (or at) its creation. */
  invalidatedSince(created: number, tags: readonly string[] | undefined): boolean {
    if (this.#clearedAt >= created) return true;
    if (tags === undefined || this.#times.size === 0) return false;
    for (let i = 0; i < tags.length; i++) {
      const at = this.#times.get(tags[i]);
      if (at !== undefined && at >= created) return true;
    }
    return false;
  }

  /** Whether `envelope` is still alive as far as tags and clears go. */
  alive(envelope: Envelope): boolean {
    return !this.invalidatedSince(envelope.c, envelope.t);
  }

  /**
   * From now on, times read from the store are kept current by a bus (or, with false, no longer are).
   * Called again after the bus reconnects: what it followed is read again (messages may have been lost).
   */
  followBus(on: boolean): void {
    this.#busFollows = on;
    this.#restart();
  }

  /**
   * From now on, the store reports every write to the tag and clear keys (or, with false, no longer
   * does): times read from it are followed until {@link forget} says they changed.
   */
  followStore(on: boolean): void {
    this.#storeFollows = on;
    this.#restart();
  }

  /** The store reported a write to `tag`'s time: it is read again with the next entry that has it. */
  forget(tag: string): void {
    this.#epoch++;
    this.#followed?.delete(tag);
  }

  /** The store reported a write to the clear's time: it is read again with the next entry. */
  forgetClear(): void {
    this.#epoch++;
    this.#clearFollowed = false;
  }

  /** The current epoch, to hand back to {@link learn} with what a read started now finds. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Starts following afresh (nothing followed yet), or stops when no source is on. */
  #restart(): void {
    this.#epoch++;
    this.#followed = this.#busFollows || this.#storeFollows ? new Set() : undefined;
    this.#clearFollowed = false;
  }

  /** Of `tags`, those whose times must be read from the store; undefined when none. */
  toRead(tags: readonly string[] | undefined): readonly string[] | undefined {
    const followed = this.#followed;
    if (followed === undefined || tags === undefined) return tags;
    let unread: string[] | undefined;
    for (const tag of tags) if (!followed.has(tag)) (unread ??= []).push(tag);
    return unread;
  }

  /** Whether the clear's time must be read from the store. */
  get clearToRead(): boolean {
    return !this.#clearFollowed;
  }

  /**
   * Records times read from the store (the clear's, when read, and those of `tags`), which other
   * processes wrote. See {@link fromElsewhere} for why they are rounded up. They are followed from now
   * on if a source keeps them current and nothing went stale since the read began, at `epoch`.
   */
  learn(
    tags: readonly string[] | undefined,
    times: readonly number[],
    clearedAt: number | undefined,
    epoch: number,
  ): void {
    const followed = epoch === this.#epoch ? this.#followed : undefined;
    if (clearedAt !== undefined) {
      if (clearedAt > 0) this.clear(fromElsewhere(clearedAt));
      if (followed !== undefined) this.#clearFollowed = true;
    }
    if (tags === undefined) return;
    for (let i = 0; i < tags.length; i++) {
      if (times[i] > 0) this.invalidate([tags[i]], fromElsewhere(times[i]));
      if (followed === undefined) continue;
      if (followed.size >= MAX_FOLLOWED) followed.clear();
      followed.add(tags[i]);
    }
  }

  /** Records an invalidation another process announced on the bus. */
  invalidateFromElsewhere(tags: readonly string[], at: number): void {
    this.invalidate(tags, fromElsewhere(at));
  }

  /** Forgets the times that no live entry can predate. */
  #prune(now: number): void {
    const horizon = now - this.maxAge;
    for (const [tag, at] of this.#times) {
      if (at < horizon) {
        this.#times.delete(tag);
        this.#followed?.delete(tag);
      }
    }
    this.#pruneAt = Math.max(10_000, this.#times.size * 2);
  }
}

/**
 * The end of a millisecond, as an offset from its start. `tick` gets there only after 1,023 ties in one
 * millisecond (each adds 0.001 ms, stored as 4/4096 at today's epoch).
 */
const END_OF_MS = 1023 / 1024;

/**
 * A time another process wrote, moved to the end of its millisecond. Times within one process are
 * strictly ordered (`tick`), but two processes' sub-millisecond parts are not comparable: an entry
 * created in the same millisecond as another process's invalidation is treated as older than it.
 */
function fromElsewhere(at: number): number {
  return Math.floor(at) + END_OF_MS;
}

/**
 * The creation time of an entry read from the store, moved to the start of its millisecond: another
 * process may have created it (the store does not say who), and its sub-millisecond part is not
 * comparable with this process's. So an invalidation this process made in that same millisecond
 * counts as later, even if the other process's clock had handed out more ties by then. With
 * {@link fromElsewhere}, an entry and an invalidation from different processes are ordered by their
 * milliseconds, and in a tie the invalidation wins.
 */
export function createdElsewhere(created: number): number {
  return Math.floor(created);
}
