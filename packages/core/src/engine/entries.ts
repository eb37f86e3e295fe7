import type { Policy } from '../cache-options.js';
import type { Envelope } from '../types.js';
import type { LoadsContext } from './loads.js';
import { refreshFrom } from './run-loader.js';
import { createdElsewhere } from './tag-clock.js';

/**
 * Entries across the layers: reads (L1, then L2 with its tag and clear times, filling L1) and writes
 * (L2, then L1), counted in the stats and reported as events.
 */
export class Entries {
  /** The cache's layers and instruments. */
  readonly #cx: LoadsContext;

  constructor(context: LoadsContext) {
    this.#cx = context;
  }

  /** Reads `key` from L1, then L2 (filling L1), tag-checked; a stale entry inside grace is returned too. */
  async lookup(key: string): Promise<Envelope | undefined> {
    const cached = this.#cx.memory?.get(key);
    if (cached !== undefined && cached.s > Date.now() && this.#cx.tags.alive(cached)) {
      this.hit(key, 'memory');
      return cached;
    }
    return this.fromStore(key, undefined, 0);
  }

  /** Writes an entry created at `created` to L2, then L1, unless the policy keeps `value` out. */
  async write(
    key: string,
    value: unknown,
    created: number,
    tags: readonly string[] | undefined,
    policy: Policy,
  ): Promise<void> {
    const nullish = value === null || value === undefined;
    if (nullish && policy.nullTtl < 0) return;
    const ttl = nullish ? policy.nullTtl : policy.ttl;
    const now = Date.now();
    const soft = now + ttl;
    const envelope: Envelope = { v: value, c: created, s: soft, h: soft + policy.grace };
    if (tags !== undefined && tags.length > 0) envelope.t = tags as string[];
    const from = refreshFrom(policy, soft, ttl, now - created);
    if (from !== undefined) {
      envelope.r = from;
      if (policy.beta > 0) envelope.d = now - created;
    }
    await this.put(key, envelope, ttl + policy.grace);
  }

  /** Writes an envelope that lives `life` ms to L2, then L1. */
  async put(key: string, envelope: Envelope, life: number): Promise<void> {
    const { memory, store, stats, events, tags: clock } = this.#cx;
    if (life > clock.maxAge) clock.maxAge = life;
    if (store !== undefined) await store.set(key, envelope, life);
    // No TTL in L1: the engine checks the envelope's times itself, and the store skipping its own
    // expiry keeps a memory hit to one clock read; dead entries leave by eviction or the next load.
    memory?.set(key, envelope, 0);
    stats.sets++;
    if (events.has('set')) events.emit('set', { key, tags: envelope.t });
  }

  /**
   * Reads an entry from L2 with its tags' and the clear's invalidation times (one round trip when the
   * caller knows the tags), learns those times, and returns the entry if it is alive and within grace.
   * A fresh entry (newer than `newerThan`) found there fills L1 and counts as a hit.
   */
  fromStore(
    key: string,
    tags: readonly string[] | undefined,
    newerThan: number,
  ): Promise<Envelope | undefined> {
    if (this.#cx.store === undefined) return Promise.resolve(undefined);
    return this.readStore(key, tags, newerThan, itself);
  }

  /**
   * {@link fromStore}, resolving with `next(found, now)` called in the job that settles the store's
   * read (an L2 hit takes no turn of its own here, nor in the caller: a caller awaiting `fromStore`
   * would add one), `now` being the time `found` was checked against. With `onError: 'throw'`, a
   * failed read resolves with `thrown(error)` when it is given, and rejects otherwise. Needs a store.
   */
  readStore<R>(
    key: string,
    tags: readonly string[] | undefined,
    newerThan: number,
    next: (found: Envelope | undefined, now: number) => R | PromiseLike<R>,
    thrown?: (error: unknown) => R | PromiseLike<R>,
  ): Promise<R> {
    const clock = this.#cx.tags;
    // With a bus, or a store that reports writes to the times, times already read are kept current:
    // only the others are read.
    const unread = clock.toRead(tags);
    const withClear = clock.clearToRead;
    const epoch = clock.epoch;
    return this.#cx.store!.getWithTags(
      key,
      unread,
      withClear,
      (read) => {
        const now = Date.now();
        if (read === undefined) return next(undefined, now);
        clock.learn(unread, read.times, withClear ? read.clearedAt : undefined, epoch);
        const { envelope } = read;
        if (envelope === undefined || envelope.h <= now) return next(undefined, now);
        envelope.c = createdElsewhere(envelope.c);
        // The entry's times still to read: those neither read here nor kept current now. That is a
        // tag the caller did not name, or a time this read skipped whose write the store reported
        // while the read was under way (the write may have come before the read).
        const unknown = unlisted(clock.toRead(envelope.t), unread);
        const clear = !withClear && clock.clearToRead;
        if (clear || (unknown !== undefined && unknown.length > 0)) {
          return this.#withTimes(key, envelope, unknown, clear, newerThan).then(
            (found) => next(found, Date.now()),
            thrown,
          );
        }
        return next(this.#found(key, envelope, newerThan, now), now);
      },
      thrown,
    );
  }

  /**
   * {@link fromStore} for an entry with times still unknown (of its `tags`, and the clear's with
   * `withClear`): reads them first.
   */
  async #withTimes(
    key: string,
    envelope: Envelope,
    tags: readonly string[] | undefined,
    withClear: boolean,
    newerThan: number,
  ): Promise<Envelope | undefined> {
    const clock = this.#cx.tags;
    const epoch = clock.epoch;
    const read = await this.#cx.store!.times(tags ?? [], withClear);
    if (read !== undefined) clock.learn(tags, read.times, withClear ? read.clearedAt : undefined, epoch);
    return this.#found(key, envelope, newerThan, Date.now());
  }

  /**
   * An entry read from L2, times known: returned if alive; one fresh at `now` fills L1 and counts as a
   * hit.
   */
  #found(key: string, envelope: Envelope, newerThan: number, now: number): Envelope | undefined {
    const clock = this.#cx.tags;
    if (!clock.alive(envelope)) return undefined;
    const life = envelope.h - envelope.c;
    if (life > clock.maxAge) clock.maxAge = life;
    if (envelope.s > now && envelope.c > newerThan) {
      this.#cx.memory?.set(key, envelope, 0);
      this.hit(key, 'store');
    }
    return envelope;
  }

  /** Counts and reports a hit. */
  hit(key: string, layer: 'memory' | 'store'): void {
    const { stats, events } = this.#cx;
    stats.hits++;
    if (layer === 'memory') stats.memoryHits++;
    else stats.storeHits++;
    if (events.has('hit')) events.emit('hit', { key, layer, stale: false });
  }

  /** Counts and reports a stale value served in place of the loader's. */
  servedStale(key: string, layer: 'memory' | 'store'): void {
    const { stats, events } = this.#cx;
    stats.hits++;
    stats.staleHits++;
    if (layer === 'memory') stats.memoryHits++;
    else stats.storeHits++;
    if (events.has('hit')) events.emit('hit', { key, layer, stale: true });
  }
}

/** A read's entry as it is. */
const itself = (found: Envelope | undefined): Envelope | undefined => found;

/** The tags of an entry that `known` (the caller's) does not list; undefined when none. */
function unlisted(
  tags: readonly string[] | undefined,
  known: readonly string[] | undefined,
): string[] | undefined {
  if (tags === undefined) return undefined;
  let missing: string[] | undefined;
  for (let i = 0; i < tags.length; i++) {
    if (known === undefined || !known.includes(tags[i])) (missing ??= []).push(tags[i]);
  }
  return missing;
}
