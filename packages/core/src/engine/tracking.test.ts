import { describe, expect, test } from 'vitest';
import { Cache } from '../cache.js';
import { TrackingStore } from '../test-support/keyvs.js';

/**
 * Two processes' caches over one store that reports writes to the tag and clear times (an in-process
 * fake of Redis's client tracking: engine unit tests), no bus, no L1.
 */
function pair() {
  const store = new TrackingStore();
  const a = new Cache({ store, memory: false });
  const b = new Cache({ store, memory: false });
  return { store, a, b };
}

/** A loader that returns how many times it ran. */
function counter() {
  let runs = 0;
  return async () => ++runs;
}

describe('a store that reports writes to the times', () => {
  test('once read, the times are not read again until a write to them is reported', async () => {
    const { store, a, b } = pair();
    const load = counter();
    await a.getOrSet('k', load, { tags: ['t'] });
    await a.getOrSet('k', load, { tags: ['t'] });
    store.reads.length = 0;
    expect(await a.getOrSet('k', load, { tags: ['t'] })).toBe(1);
    expect(store.reads).toEqual([['k']]);

    await b.invalidateTags(['t']);
    store.reads.length = 0;
    expect(await a.getOrSet('k', load, { tags: ['t'] })).toBe(2);
    expect(store.reads[0]).toEqual(['k', '__cachet:tag:t']);

    await b.clear();
    store.reads.length = 0;
    expect(await a.getOrSet('k', load, { tags: ['t'] })).toBe(3);
    expect(store.reads[0]).toEqual(['k', '__cachet:clear']);
  });

  test('a write reported while a hit was in flight, to a time it skipped, is read before the entry is served', async () => {
    const { store, a, b } = pair();
    const load = counter();
    await a.getOrSet('k', load, { tags: ['t'] });
    await a.getOrSet('k', load, { tags: ['t'] });
    // The store runs the read after the invalidation it reports first: the entry is older than it.
    store.hold(true);
    const read = a.getOrSet('k', load, { tags: ['t'] });
    await b.invalidateTags(['t']);
    store.release();
    expect(await read).toBe(2);
  });

  test('a clear reported while a hit was in flight is read before the entry is served', async () => {
    const { store, a, b } = pair();
    const load = counter();
    await a.getOrSet('k', load);
    await a.getOrSet('k', load);
    store.hold(true);
    const read = a.getOrSet('k', load);
    await b.clear();
    store.release();
    expect(await read).toBe(2);
  });

  test('a write reported while a hit was in flight, to a time the entry does not have, costs it no second read', async () => {
    const { store, a, b } = pair();
    const load = counter();
    await a.getOrSet('k', load, { tags: ['t'] });
    await a.getOrSet('k', load, { tags: ['t'] });
    store.hold(true);
    store.reads.length = 0;
    const read = a.getOrSet('k', load, { tags: ['t'] });
    await b.invalidateTags(['other']);
    store.release();
    expect(await read).toBe(1);
    expect(store.reads).toEqual([['k']]);
  });

  test('a time read before a write that was reported before the reply is read again next time', async () => {
    const { store, a, b } = pair();
    const load = counter();
    // Another process cached k2, tagged t; this one reads k (a miss) with t's time, held.
    await b.getOrSet('k2', async () => 'old', { tags: ['t'] });
    store.hold();
    const miss = a.getOrSet('k', load, { tags: ['t'] });
    // t is invalidated after the store ran that read, and reported before its reply.
    await b.invalidateTags(['t']);
    store.release();
    await miss;
    // The time a learned is older than the invalidation: k2 must not pass it.
    expect(await a.getOrSet('k2', async () => 'new', { tags: ['t'] })).toBe('new');
  });

  test('while the store cannot report writes, every read reads the times', async () => {
    const store = new TrackingStore();
    let listener: { off(): void; on(): void } | undefined;
    const track = store.cachetTrack.bind(store);
    store.cachetTrack = (prefix, given) => {
      listener = given;
      track(prefix, given);
    };
    const a = new Cache({ store, memory: false });
    const load = counter();
    await a.getOrSet('k', load, { tags: ['t'] });
    await a.getOrSet('k', load, { tags: ['t'] });
    listener!.off();
    store.reads.length = 0;
    await a.getOrSet('k', load, { tags: ['t'] });
    await a.getOrSet('k', load, { tags: ['t'] });
    expect(store.reads).toEqual([
      ['k', '__cachet:clear', '__cachet:tag:t'],
      ['k', '__cachet:clear', '__cachet:tag:t'],
    ]);
  });
});
