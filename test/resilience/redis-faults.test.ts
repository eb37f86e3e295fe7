/**
 * Fault injection against a real redis-server: killed mid-load, slowed and cut by a TCP proxy. Every
 * call must return the origin's value in bounded time, nothing may reject unhandled, and caching must
 * resume when Redis comes back, in the same process.
 */
import { Cache, Cached } from '@cachet/core';
import { redisStore } from '@cachet/redis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { missing } from '../support/skip.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const skip = missing('resilience against redis-server', 'redis-server');

/** Unhandled rejections seen while a test ran. */
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

/** A service over `cache` whose method takes `loadMs` and counts its runs. */
function service(cache: Cache, loadMs: number) {
  class Products {
    loads = 0;
    @Cached({ cache, key: (id: number) => `product:${id}` })
    async get(id: number): Promise<{ id: number; name: string }> {
      this.loads++;
      await sleep(loadMs);
      return { id, name: `product ${id}` };
    }
  }
  return new Products();
}

/** Runs `count` calls of `products.get` over `keys` keys at once; resolves their values and the slowest time. */
async function burst(products: ReturnType<typeof service>, count: number, keys: number) {
  const times: number[] = [];
  const values = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const started = performance.now();
      const value = await products.get(i % keys);
      times.push(performance.now() - started);
      return value;
    }),
  );
  return { values, slowest: Math.max(...times) };
}

describe.skipIf(skip)('resilience against a real redis-server', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedis();
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await redis?.stop();
  });
  afterEach(() => {
    expect(unhandled).toEqual([]);
    unhandled.length = 0;
  });

  test('Redis killed (SIGKILL) under 200 concurrent callers: every call gets the origin value; caching resumes after a restart', async () => {
    const cache = new Cache({
      store: redisStore(redis.url),
      memory: false,
      storeTimeout: 200,
      breaker: { threshold: 5, duration: 300 },
    });
    const errors: string[] = [];
    cache.on('error', (e) => errors.push(e.operation));
    const products = service(cache, 30);

    const warm = await burst(products, 200, 50);
    expect(warm.values.every((v, i) => v.name === `product ${i % 50}`)).toBe(true);

    // Kill Redis while 200 callers are loading keys it has never seen.
    const during = burst({ get: (id: number) => products.get(id + 1000) } as never, 200, 50);
    await sleep(10);
    await redis.kill();
    const result = await during;
    console.log(`[faults] SIGKILL mid-load: 200 calls, slowest ${result.slowest.toFixed(0)} ms`);
    expect(result.values.every((v, i) => v.name === `product ${(i % 50) + 1000}`)).toBe(true);
    // Bounded: a load (30 ms) plus at most one store timeout on each side of it.
    expect(result.slowest).toBeLessThan(1500);

    // While Redis is down: still served, fast once the breaker is open.
    const down = await burst(products, 200, 50);
    expect(down.values.every((v, i) => v.name === `product ${i % 50}`)).toBe(true);
    expect(errors.length).toBeGreaterThan(0);

    await redis.restart();
    await sleep(400); // the breaker's duration
    const loadsBefore = products.loads;
    await burst(products, 50, 50); // written to Redis again
    const hitsBefore = cache.stats().storeHits;
    await burst(products, 50, 50);
    expect(cache.stats().storeHits - hitsBefore).toBe(50);
    expect(products.loads - loadsBefore).toBe(50);
    await cache.disconnect();
  });

  describe('through a TCP proxy', () => {
    let proxy: TcpProxy;
    beforeAll(async () => {
      proxy = await new TcpProxy(redis.port).listen();
    });
    afterAll(() => proxy?.close());
    afterEach(() => proxy.heal());

    test('latency past the store timeout: calls return the origin value within the timeout', async () => {
      const cache = new Cache({
        store: redisStore(`redis://127.0.0.1:${proxy.port}`),
        memory: false,
        storeTimeout: 100,
        breaker: false,
      });
      cache.on('error', () => {});
      const products = service(cache, 5);
      await burst(products, 20, 10);
      proxy.latency = 400;
      const slow = await burst(products, 200, 50);
      console.log(
        `[faults] +400 ms latency, 100 ms store timeout: slowest of 200 calls ${slow.slowest.toFixed(0)} ms`,
      );
      expect(slow.values.every((v, i) => v.name === `product ${i % 50}`)).toBe(true);
      // read (100 ms timeout) + load (5 ms) + write (100 ms timeout), with room for a loaded machine
      expect(slow.slowest).toBeLessThan(700);
      proxy.heal();
      await sleep(500); // let the delayed replies drain
      await cache.disconnect();
    });

    test('dropped connections: every call still returns; the store is used again once they stop', async () => {
      const cache = new Cache({
        store: redisStore(`redis://127.0.0.1:${proxy.port}`),
        memory: false,
        storeTimeout: 150,
        breaker: { threshold: 3, duration: 200 },
      });
      const errors: string[] = [];
      cache.on('error', (e) => errors.push(e.error.message));
      const products = service(cache, 5);
      await burst(products, 50, 50);
      // Every round, the connections are cut while its reads are in flight (the proxy holds each
      // reply 10 ms, and the cut comes 3 ms into the round).
      proxy.latency = 10;
      for (let round = 0; round < 5; round++) {
        const running = burst(products, 200, 50);
        await sleep(3);
        proxy.dropAll();
        const result = await running;
        console.log(
          `[faults] connections cut mid-round: slowest of 200 calls ${result.slowest.toFixed(0)} ms`,
        );
        expect(result.values.every((v, i) => v.name === `product ${i % 50}`)).toBe(true);
        expect(result.slowest).toBeLessThan(1500);
      }
      expect(errors.length).toBeGreaterThan(0);
      proxy.heal();
      await sleep(2500); // the client reconnects, the breaker closes
      await burst(products, 50, 50);
      const hitsBefore = cache.stats().storeHits;
      await burst(products, 50, 50);
      expect(cache.stats().storeHits - hitsBefore).toBe(50);
      await cache.disconnect();
    });

    test('a value is never served past its grace, whatever fails', async () => {
      const cache = new Cache({
        store: redisStore(`redis://127.0.0.1:${proxy.port}`),
        ttl: 100,
        grace: 200,
        storeTimeout: 50,
      });
      cache.on('error', () => {});
      let origin: 'up' | 'down' = 'up';
      const load = async () => {
        if (origin === 'down') throw new Error('origin down');
        return 'fresh';
      };
      expect(await cache.getOrSet('g', load)).toBe('fresh');
      origin = 'down';
      proxy.refusing = true;
      proxy.dropAll();
      const started = Date.now();
      const served: { at: number; value: string | undefined }[] = [];
      while (Date.now() - started < 450) {
        const value = await cache.getOrSet('g', load).catch(() => undefined);
        served.push({ at: Date.now() - started, value });
        await sleep(10);
      }
      // Stale values inside the grace (100–300 ms after the write), none after it.
      expect(served.some((s) => s.value === 'fresh' && s.at > 120)).toBe(true);
      const late = served.filter((s) => s.at > 320);
      expect(late.length).toBeGreaterThan(0);
      expect(late.every((s) => s.value === undefined)).toBe(true);
      await cache.disconnect();
    });
  });
});
