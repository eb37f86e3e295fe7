import { describe, expect, test, vi } from 'vitest';
import { Cache } from '../cache.js';
import type { CacheOptions } from '../cache-options.js';
import { CachedLoaderError, LoaderTimeoutError } from '../errors.js';
import { deferred, KEYV_VERSIONS, sleep } from '../test-support/keyvs.js';

const [[, makeKeyv]] = KEYV_VERSIONS;
const layouts: [string, () => CacheOptions][] = [
  ['memory', () => ({})],
  ['store only', () => ({ store: makeKeyv(), memory: false })],
];

const failing = async (): Promise<string> => {
  throw new Error('origin down');
};

describe.each(layouts)('resilience (%s)', (_, layout) => {
  test('grace: a failing loader is replaced by the stale value, and it says so', async () => {
    const cache = new Cache({ ...layout(), ttl: 20, grace: '1s' });
    const stale: boolean[] = [];
    cache.on('hit', (e) => stale.push(e.stale));
    await cache.getOrSet('k', async () => 'v1');
    await sleep(30);
    expect(await cache.getOrSet('k', failing)).toBe('v1');
    expect(stale).toEqual([true]);
    expect(cache.stats().staleHits).toBe(1);
  });

  test('a value is never served past its grace', async () => {
    const cache = new Cache({ ...layout(), ttl: 20, grace: 40 });
    await cache.getOrSet('k', async () => 'v1');
    await sleep(30);
    expect(await cache.getOrSet('k', failing)).toBe('v1');
    await sleep(40);
    await expect(cache.getOrSet('k', failing)).rejects.toThrow('origin down');
    expect(await cache.get('k')).toBeUndefined();
  });

  test('without grace a failing loader fails', async () => {
    const cache = new Cache({ ...layout(), ttl: 20 });
    await cache.getOrSet('k', async () => 'v1');
    await sleep(30);
    await expect(cache.getOrSet('k', failing)).rejects.toThrow('origin down');
  });

  test('stale-while-revalidate: stale at once, one background refresh for 1,000 callers', async () => {
    const cache = new Cache({ ...layout(), ttl: 20, grace: '1s', staleWhileRevalidate: true });
    await cache.getOrSet('k', async () => 'v1');
    await sleep(30);
    const gate = deferred<string>();
    const loader = vi.fn(() => gate.promise);
    const results = await Promise.all(Array.from({ length: 1000 }, () => cache.getOrSet('k', loader)));
    expect(new Set(results)).toEqual(new Set(['v1']));
    gate.resolve('v2');
    await sleep(5);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(await cache.getOrSet('k', loader)).toBe('v2');
  });

  test('soft timeout: a slow loader is replaced by the stale value; its result is cached when it comes', async () => {
    const cache = new Cache({ ...layout(), ttl: 20, grace: '1s', timeout: { soft: 10 } });
    await cache.getOrSet('k', async () => 'v1');
    await sleep(30);
    const written = new Promise((resolve) => cache.on('set', resolve));
    const started = Date.now();
    expect(await cache.getOrSet('k', () => sleep(80).then(() => 'v2'))).toBe('v1');
    expect(Date.now() - started).toBeLessThan(60);
    await written;
    expect(await cache.get('k')).toBe('v2');
  });

  test('hard timeout: LoaderTimeoutError without a stale value; the late result is still cached', async () => {
    const cache = new Cache({ ...layout(), timeout: { hard: 20 } });
    const error = await cache.getOrSet('k', () => sleep(60).then(() => 'late')).catch((e) => e);
    expect(error).toBeInstanceOf(LoaderTimeoutError);
    expect(error.code).toBe('E_LOADER_HARD_TIMEOUT');
    await sleep(60);
    expect(await cache.get('k')).toBe('late');
  });

  test('hard timeout with a stale value inside grace serves it', async () => {
    const cache = new Cache({ ...layout(), ttl: 20, grace: '1s', timeout: { hard: 20 } });
    await cache.getOrSet('k', async () => 'v1');
    await sleep(30);
    expect(await cache.getOrSet('k', () => sleep(60).then(() => 'v2'))).toBe('v1');
  });

  test('cacheErrors: a failure is served from the cache for its TTL, then the origin is tried again', async () => {
    const cache = new Cache({ ...layout(), cacheErrors: { ttl: 40 } });
    const loader = vi.fn(async () => {
      throw Object.assign(new Error('origin down'), { code: 'ECONNREFUSED' });
    });
    await expect(cache.getOrSet('k', loader)).rejects.toThrow('origin down');
    const cached = await cache.getOrSet('k', loader).catch((e) => e);
    expect(cached).toBeInstanceOf(CachedLoaderError);
    expect(cached.message).toBe('origin down');
    expect(cached.originalCode).toBe('ECONNREFUSED');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(await cache.get('k')).toBeUndefined();
    await sleep(50);
    await expect(cache.getOrSet('k', loader)).rejects.toThrow('origin down');
    expect(loader).toHaveBeenCalledTimes(2);
  });

  test('cacheNull: false keeps null out; { ttl } gives it its own TTL', async () => {
    const off = new Cache({ ...layout(), cacheNull: false });
    const nothing = vi.fn(async () => null);
    await off.getOrSet('k', nothing);
    await off.getOrSet('k', nothing);
    expect(nothing).toHaveBeenCalledTimes(2);

    const short = new Cache({ ...layout(), ttl: '1m', cacheNull: { ttl: 20 } });
    const absent = vi.fn(async () => undefined);
    await short.getOrSet('k', absent);
    await short.getOrSet('k', absent);
    expect(absent).toHaveBeenCalledTimes(1);
    await sleep(30);
    await short.getOrSet('k', absent);
    expect(absent).toHaveBeenCalledTimes(2);
  });
});

describe('early refresh (memory)', () => {
  test('refreshAhead: a hit past the fraction refreshes once in the background; nobody waits', async () => {
    const cache = new Cache({ ttl: 100, refreshAhead: 0.5 });
    await cache.getOrSet('k', async () => 'v1');
    await sleep(60);
    const gate = deferred<string>();
    const loader = vi.fn(() => gate.promise);
    const results = await Promise.all(Array.from({ length: 1000 }, () => cache.getOrSet('k', loader)));
    expect(new Set(results)).toEqual(new Set(['v1']));
    expect(loader).toHaveBeenCalledTimes(1);
    gate.resolve('v2');
    await sleep(1);
    expect(await cache.getOrSet('k', loader)).toBe('v2');
    expect(loader).toHaveBeenCalledTimes(1);
  });

  test('refreshAhead: hits before the fraction do not refresh', async () => {
    const cache = new Cache({ ttl: 1000, refreshAhead: 0.9 });
    const loader = vi.fn(async () => 'v');
    await cache.getOrSet('k', loader);
    for (let i = 0; i < 100; i++) await cache.getOrSet('k', loader);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  test('XFetch: a hot key is refreshed before it expires, by one load, and callers keep memory-hit latency', async () => {
    const cache = new Cache({ ttl: 200, earlyExpiration: true });
    let version = 0;
    const loader = vi.fn(async () => {
      await sleep(20);
      return ++version;
    });
    await cache.getOrSet('k', loader);
    const slowest = { ms: 0 };
    const deadline = Date.now() + 260;
    while (Date.now() < deadline) {
      const started = performance.now();
      await Promise.all(Array.from({ length: 10 }, () => cache.getOrSet('k', loader)));
      slowest.ms = Math.max(slowest.ms, performance.now() - started);
      await sleep(5);
    }
    // Refreshed early (before the 200 ms expiry) rather than on a miss: nobody waited ~20 ms for the loader.
    expect(version).toBeGreaterThanOrEqual(2);
    expect(loader.mock.calls.length).toBeLessThanOrEqual(3);
    expect(cache.stats().misses).toBe(1);
    // A caller that waited for the loader would have taken at least its 20 ms.
    expect(slowest.ms).toBeLessThan(19);
  });

  test('bad early-refresh options are refused, naming the option', () => {
    expect(() => new Cache({ refreshAhead: 1.5 })).toThrow(/refreshAhead must be a fraction/);
    expect(() => new Cache({ earlyExpiration: { beta: -1 } })).toThrow(/earlyExpiration\.beta/);
    expect(() => new Cache({ ttl: 0 })).toThrow(/ttl must be more than 0; use Infinity/);
  });
});
