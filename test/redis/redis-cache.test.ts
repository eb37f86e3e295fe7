import { Cache } from '@cachet/core';
import { redisStore } from '@cachet/redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { freePort } from '../support/server-process.js';
import { missing } from '../support/skip.js';

const skip = missing('Cache over redisStore', 'redis-server', 'redis-cli');

describe.skipIf(skip)('Cache over redisStore: a down Redis never breaks the caller', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('Redis stops: getOrSet answers from the loader at once and reports errors; it restarts: caching resumes', async () => {
    const cache = new Cache({ store: redisStore(server.url), memory: false, namespace: 'down' });
    const errors: string[] = [];
    cache.on('error', ({ operation }) => errors.push(operation));
    expect(await cache.getOrSet('k', async () => 'first')).toBe('first');
    expect(await cache.getOrSet('k', async () => 'not called')).toBe('first');

    await server.stop();
    const started = performance.now();
    expect(await cache.getOrSet('k', async () => 'from loader')).toBe('from loader');
    expect(performance.now() - started).toBeLessThan(500);
    expect(errors.length).toBeGreaterThan(0);

    await server.restart(); // empty: no persistence
    const deadline = Date.now() + 15_000;
    let cached: unknown;
    while (Date.now() < deadline) {
      await cache.set('k2', 'back');
      cached = await cache.get('k2');
      if (cached === 'back') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(cached).toBe('back');
    await cache.disconnect();
  }, 30_000);

  test('Redis was never up: the first calls fail within connectTimeout, not forever', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const cache = new Cache({ store: redisStore({ url, connectTimeout: 300 }), memory: false });
    cache.on('error', () => {});
    const started = performance.now();
    const values = await Promise.all(
      Array.from({ length: 20 }, (_, i) => cache.getOrSet(`k${i}`, async () => i)),
    );
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(performance.now() - started).toBeLessThan(2000);
    await cache.disconnect();
  });
});
