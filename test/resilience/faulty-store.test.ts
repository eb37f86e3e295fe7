/**
 * The engine's failure handling with `@cachet/testing`'s fault-injecting wrapper around a real Redis
 * store: each fault mode, then healing, on a decorated method.
 */
import { Cache, Cached } from '@cachet/core';
import { redisStore } from '@cachet/redis';
import { type FaultyStore, faultyStore } from '@cachet/testing/faulty-store';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { missing } from '../support/skip.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.skipIf(missing('faulty store over redis-server', 'redis-server'))(
  'faults injected into a Redis store',
  () => {
    let redis: RedisServer;
    let store: FaultyStore;
    let cache: Cache;
    const errors: string[] = [];
    let loads = 0;
    const origin: 'up' | 'down' = 'up';

    class Catalog {
      @Cached({ cache: () => cache, key: (id: number) => `item:${id}` })
      async item(id: number): Promise<string> {
        loads++;
        if (origin === 'down') throw new Error('origin down');
        return `item ${id}`;
      }
    }
    const catalog = new Catalog();

    /** Runs `fn` and resolves its result with how long it took. */
    const timed = async <T>(fn: () => Promise<T>) => {
      const started = performance.now();
      const value = await fn();
      return { value, ms: performance.now() - started };
    };

    beforeAll(async () => {
      redis = await startRedis();
      store = faultyStore(redisStore(redis.url));
      cache = new Cache({ store, memory: false, storeTimeout: 100, breaker: false, ttl: '1m' });
      cache.on('error', (e) => errors.push(`${e.operation}: ${e.error.message}`));
    });
    afterAll(async () => {
      await cache?.disconnect();
      await redis?.stop();
    });

    test.each([
      ['throw', {}],
      ['hang', {}],
      ['delay', { ms: 400 }],
    ] as const)(
      '%s: every call returns the origin value, within the store timeout',
      async (mode, options) => {
        store.fail(mode, options);
        errors.length = 0;
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => timed(() => catalog.item(i))));
        expect(results.map((r) => r.value)).toEqual(Array.from({ length: 50 }, (_, i) => `item ${i}`));
        // one read and one write, each cut at 100 ms, with room for a loaded machine
        expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(600);
        expect(errors.length).toBeGreaterThan(0);
        store.heal();
        await sleep(450); // delayed and parked calls drain
      },
    );

    test('drop: writes are lost silently, reads miss, the method still answers', async () => {
      store.fail('drop');
      loads = 0;
      expect(await catalog.item(1000)).toBe('item 1000');
      expect(await catalog.item(1000)).toBe('item 1000');
      expect(loads).toBe(2);
      store.heal();
    });

    test('healed: the store serves hits again, in the same process', async () => {
      await catalog.item(2000);
      loads = 0;
      const hits = cache.stats().storeHits;
      expect(await catalog.item(2000)).toBe('item 2000');
      expect(loads).toBe(0);
      expect(cache.stats().storeHits).toBe(hits + 1);
    });

    test('a failing origin with the store hanging: the stale L1 value inside grace, an error past it', async () => {
      const withGrace = new Cache({ store, ttl: 50, grace: 400, storeTimeout: 50, breaker: false });
      withGrace.on('error', () => {});
      let down = false;
      const load = async () => {
        if (down) throw new Error('origin down');
        return 'fresh';
      };
      expect(await withGrace.getOrSet('g', load)).toBe('fresh');
      down = true;
      store.fail('hang');
      await sleep(80); // stale: past the 50 ms TTL, inside the 400 ms grace
      expect(await withGrace.getOrSet('g', load)).toBe('fresh');
      await sleep(450); // past TTL + grace
      await expect(withGrace.getOrSet('g', load)).rejects.toThrow('origin down');
      store.heal();
      await withGrace.disconnect().catch(() => {});
    });
  },
);
