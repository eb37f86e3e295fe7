import { describe, expect, test, vi } from 'vitest';
import { Cache } from './cache.js';
import type { CacheOptions } from './cache-options.js';
import { deferred, KEYV_VERSIONS, sleep } from './test-support/keyvs.js';

describe.each(KEYV_VERSIONS)('Cache over %s', (_, makeKeyv) => {
  const layouts: [string, () => CacheOptions][] = [
    ['memory only', () => ({})],
    ['store only', () => ({ store: makeKeyv(), memory: false })],
    ['memory + store', () => ({ store: makeKeyv() })],
  ];

  describe.each(layouts)('%s', (_, options) => {
    test('a miss runs the loader, a hit does not', async () => {
      const cache = new Cache(options());
      const loader = vi.fn(async () => ({ name: 'Ada' }));
      expect(await cache.getOrSet('user:1', loader)).toEqual({ name: 'Ada' });
      expect(await cache.getOrSet('user:1', loader)).toEqual({ name: 'Ada' });
      expect(loader).toHaveBeenCalledTimes(1);
      expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, loads: 1 });
    });

    test('null and undefined results are cached and told apart from a miss', async () => {
      const cache = new Cache(options());
      const nothing = vi.fn(async () => null);
      const absent = vi.fn(async () => undefined);
      expect(await cache.getOrSet('a', nothing)).toBeNull();
      expect(await cache.getOrSet('a', nothing)).toBeNull();
      expect(await cache.getOrSet('b', absent)).toBeUndefined();
      expect(await cache.getOrSet('b', absent)).toBeUndefined();
      expect(nothing).toHaveBeenCalledTimes(1);
      expect(absent).toHaveBeenCalledTimes(1);
      expect(await cache.get('a')).toBeNull();
    });

    test('thrown errors are not cached', async () => {
      const cache = new Cache(options());
      let calls = 0;
      const loader = async () => {
        calls++;
        if (calls === 1) throw new Error('origin down');
        return 'ok';
      };
      await expect(cache.getOrSet('k', loader)).rejects.toThrow('origin down');
      expect(await cache.getOrSet('k', loader)).toBe('ok');
      expect(calls).toBe(2);
    });

    test('1,000 concurrent misses of one key run the loader once and all get its result', async () => {
      const cache = new Cache(options());
      const gate = deferred<string>();
      const loader = vi.fn(() => gate.promise);
      const callers = Array.from({ length: 1000 }, () => cache.getOrSet('hot', loader));
      gate.resolve('value');
      const results = await Promise.all(callers);
      expect(loader).toHaveBeenCalledTimes(1);
      expect(new Set(results)).toEqual(new Set(['value']));
    });

    test('concurrent callers all get the loader error', async () => {
      const cache = new Cache(options());
      const loader = vi.fn(async () => {
        await sleep(5);
        throw new Error('boom');
      });
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => cache.getOrSet('k', loader)));
      expect(loader).toHaveBeenCalledTimes(1);
      expect(results.every((r) => r.status === 'rejected' && (r.reason as Error).message === 'boom')).toBe(
        true,
      );
    });

    test.each([
      ['delete', (cache: Cache) => cache.delete('k')],
      ['invalidateTags', (cache: Cache) => cache.invalidateTags(['t'])],
      ['clear', (cache: Cache) => cache.clear()],
      ['set', (cache: Cache) => cache.set('k', 'newer')],
    ])(
      'an invalidation (%s) landing during a load wins: callers get the result, it is not written back',
      async (_, invalidate) => {
        const cache = new Cache(options());
        const gate = deferred<string>();
        const first = cache.getOrSet('k', () => gate.promise, { tags: ['t'] });
        await sleep(1);
        await invalidate(cache);
        gate.resolve('old');
        expect(await first).toBe('old');
        const next = await cache.getOrSet('k', async () => 'reloaded', { tags: ['t'] });
        expect(['reloaded', 'newer']).toContain(next);
        expect(next).not.toBe('old');
      },
    );

    test('a load started after a tag invalidation is joined, also once the overtaken load has ended', async () => {
      const cache = new Cache(options());
      const gates = [deferred<string>(), deferred<string>()];
      let runs = 0;
      const loader = () => gates[runs++].promise;
      const overtaken = cache.getOrSet('k', loader, { tags: ['t'] });
      await sleep(1);
      await cache.invalidateTags(['t']);
      // Two milliseconds later by the clock: a time read back from the store counts from the end of its
      // millisecond, and a timer may fire up to a millisecond early (libuv's loop time lags the clock).
      const later = Date.now() + 2;
      while (Date.now() < later) await sleep(1);
      const second = cache.getOrSet('k', loader, { tags: ['t'] });
      await sleep(1);
      gates[0].resolve('old');
      expect(await overtaken).toBe('old');
      // The overtaken load ended; the one after the invalidation is still running and must be joined.
      const third = cache.getOrSet('k', loader, { tags: ['t'] });
      await sleep(1);
      gates[1].resolve('new');
      expect(await Promise.all([second, third])).toEqual(['new', 'new']);
      expect(runs).toBe(2);
    });

    test('invalidating a tag drops the entries that carry it and keeps the others', async () => {
      const cache = new Cache(options());
      await cache.getOrSet('u1', async () => 'one', { tags: ['user:1', 'users'] });
      await cache.getOrSet('u2', async () => 'two', { tags: ['user:2', 'users'] });
      await cache.invalidateTags(['user:1']);
      expect(await cache.getOrSet('u1', async () => 'one v2', { tags: ['user:1'] })).toBe('one v2');
      expect(await cache.getOrSet('u2', async () => 'two v2')).toBe('two');
      await cache.invalidateTags(['users']);
      expect(await cache.get('u2')).toBeUndefined();
    });

    test('an entry expires after its TTL', async () => {
      const cache = new Cache({ ...options(), ttl: 30 });
      let n = 0;
      expect(await cache.getOrSet('k', async () => ++n)).toBe(1);
      expect(await cache.getOrSet('k', async () => ++n)).toBe(1);
      await sleep(50);
      expect(await cache.getOrSet('k', async () => ++n)).toBe(2);
      expect(await cache.getOrSet('k', async () => ++n, { ttl: '20ms' })).toBe(2);
    });

    test('set, get and delete', async () => {
      const cache = new Cache(options());
      expect(await cache.get('k')).toBeUndefined();
      await cache.set('k', { when: new Date(0), ids: new Set([1, 2]) });
      expect(await cache.get('k')).toEqual({ when: new Date(0), ids: new Set([1, 2]) });
      await cache.delete('k');
      expect(await cache.get('k')).toBeUndefined();
    });

    test('events report hits, misses, sets and deletes', async () => {
      const cache = new Cache(options());
      const seen: string[] = [];
      cache.on('hit', (e) => seen.push(`hit ${e.key} ${e.layer}`));
      cache.on('miss', (e) => seen.push(`miss ${e.key}`));
      cache.on('set', (e) => seen.push(`set ${e.key}`));
      cache.on('delete', (e) => seen.push(`delete ${e.keys ?? e.tags}`));
      await cache.getOrSet('k', async () => 1);
      await cache.getOrSet('k', async () => 1);
      await cache.delete('k');
      expect(seen.slice(0, 2)).toEqual(['miss k', 'set k']);
      expect(seen[2]).toMatch(/^hit k (memory|store)$/);
      expect(seen[3]).toBe('delete k');
    });
  });

  describe('processes sharing one store (no bus, no L1)', () => {
    const pair = (namespaceB?: string) => {
      const keyv = makeKeyv();
      return [
        new Cache({ store: keyv, memory: false, namespace: 'app' }),
        new Cache({ store: keyv, memory: false, namespace: namespaceB ?? 'app' }),
      ] as const;
    };

    test('what one writes the other reads', async () => {
      const [a, b] = pair();
      await a.getOrSet('k', async () => 'from a');
      expect(await b.getOrSet('k', async () => 'from b')).toBe('from a');
      expect(b.stats().storeHits).toBe(1);
    });

    test('a tag invalidated by one is a miss for the other', async () => {
      const [a, b] = pair();
      await a.getOrSet('k', async () => 'v1', { tags: ['t'] });
      await b.invalidateTags(['t']);
      expect(await a.getOrSet('k', async () => 'v2', { tags: ['t'] })).toBe('v2');
    });

    test('tags the reader does not name are still checked', async () => {
      const [a, b] = pair();
      await a.set('k', 'v1', { tags: ['hidden'] });
      await b.invalidateTags(['hidden']);
      expect(await a.get('k')).toBeUndefined();
    });

    test('a clear by one is a miss for the other, without flushing the store', async () => {
      const [a, b] = pair();
      await a.set('k', 'v1');
      await b.clear();
      expect(await a.get('k')).toBeUndefined();
    });

    test('namespaces keep caches apart', async () => {
      const [a, b] = pair('other');
      await a.set('k', 'a');
      await b.set('k', 'b');
      expect(await a.get('k')).toBe('a');
      await b.clear();
      expect(await a.get('k')).toBe('a');
    });
  });
});

describe('Cache options', () => {
  test('memory: false without a store is refused with the fix', () => {
    expect(() => new Cache({ memory: false })).toThrow(/`memory: false` needs a `store`/);
  });

  test('a bad onError is refused', () => {
    expect(() => new Cache({ onError: 'ignore' as never })).toThrow(/onError must be 'fail-open' or 'throw'/);
  });

  test('the memory layer is bounded by default', async () => {
    const cache = new Cache({ memory: { maxEntries: 10 } });
    for (let i = 0; i < 100; i++) await cache.set(`k${i}`, i);
    expect(cache.stats().memoryEntries).toBeLessThanOrEqual(10);
  });

  test('memory bounded by maxSize alone is not capped at 10,000 entries as well', async () => {
    const cache = new Cache({ memory: { maxSize: 12_000, sizeOf: () => 1 } });
    for (let i = 0; i < 12_500; i++) await cache.set(`k${i}`, i);
    expect(cache.stats().memoryEntries).toBe(12_000);
    expect(new Cache().stats().memoryEntries).toBe(0);
  });

  test('memory without options is bounded to 10,000 entries', async () => {
    const cache = new Cache();
    for (let i = 0; i < 10_200; i++) await cache.set(`k${i}`, i);
    expect(cache.stats().memoryEntries).toBe(10_000);
  });
});
