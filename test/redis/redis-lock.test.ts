import { RedisLock } from '@cachet/redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { freePort } from '../support/server-process.js';
import { missing } from '../support/skip.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const skip = missing('RedisLock', 'redis-server', 'redis-cli');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skip)('RedisLock against a real redis-server', () => {
  let server: RedisServer;
  let n = 0;
  const key = () => `lock-test-${++n}`;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('60 acquirers over 3 connections: never two holders at once, all get their turn', async () => {
    const locks = [new RedisLock(server.url), new RedisLock(server.url), new RedisLock(server.url)];
    const name = key();
    let inside = 0;
    let maxInside = 0;
    let turns = 0;
    await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const handle = await locks[i % 3].acquire(name, { ttl: 5000, wait: 20_000 });
        expect(handle).toBeDefined();
        inside++;
        maxInside = Math.max(maxInside, inside);
        await sleep(2);
        turns++;
        inside--;
        await handle!.release();
      }),
    );
    expect(maxInside).toBe(1);
    expect(turns).toBe(60);
    await Promise.all(locks.map((lock) => lock.disconnect()));
  });

  test('a holder that dies without releasing loses the lock after its ttl', async () => {
    const holder = new RedisLock(server.url);
    const waiter = new RedisLock(server.url);
    const name = key();
    expect(await holder.acquire(name, { ttl: 400, wait: 0 })).toBeDefined();
    await holder.disconnect(); // dies: no release
    const started = performance.now();
    const handle = await waiter.acquire(name, { ttl: 1000, wait: 5000 });
    const waited = performance.now() - started;
    expect(handle).toBeDefined();
    expect(waited).toBeGreaterThan(300);
    expect(waited).toBeLessThan(1000);
    await waiter.disconnect();
  });

  test('release and extend act only with the holder’s token', async () => {
    const a = new RedisLock(server.url);
    const b = new RedisLock(server.url);
    const name = key();
    const stale = await a.acquire(name, { ttl: 150, wait: 0 });
    await sleep(250); // a's lock expired
    const current = await b.acquire(name, { ttl: 5000, wait: 0 });
    expect(current).toBeDefined();
    await stale!.release(); // must not free b's lock
    expect(await stale!.extend(5000)).toBe(false);
    expect(await a.acquire(name, { ttl: 1000, wait: 0 })).toBeUndefined();
    expect(await current!.extend(10_000)).toBe(true);
    expect(Number(server.cli('PTTL', `cachet:lock:${name}`))).toBeGreaterThan(5000);
    await current!.release();
    expect(await a.acquire(name, { ttl: 1000, wait: 0 })).toBeDefined();
    await Promise.all([a.disconnect(), b.disconnect()]);
  });

  test('a waiter is woken by the release, not by polling', async () => {
    const a = new RedisLock(server.url);
    const b = new RedisLock(server.url);
    const name = key();
    const held = await a.acquire(name, { ttl: 10_000, wait: 0 });
    server.cli('CONFIG', 'RESETSTAT');
    const waiting = b.acquire(name, { ttl: 1000, wait: 10_000 });
    await sleep(1500);
    const releasedAt = performance.now();
    await held!.release();
    expect(await waiting).toBeDefined();
    const wake = performance.now() - releasedAt;
    const stats = server.cli('INFO', 'commandstats');
    const evals = Number(/cmdstat_eval:calls=(\d+)/.exec(stats)?.[1] ?? 0);
    console.log(`[lock] waiter woke ${wake.toFixed(1)} ms after release; ${evals} EVALs in 1.5 s of waiting`);
    expect(wake).toBeLessThan(100);
    // Backoff 20→500 ms over 1.5 s is about 7 tries, plus the release; a busy poll would be hundreds.
    expect(evals).toBeLessThan(15);
    await Promise.all([a.disconnect(), b.disconnect()]);
  });

  test('a release that fails while Redis is unreachable is retried, and frees the lock once it is back', async () => {
    const proxy = await new TcpProxy(server.port).listen();
    const lock = new RedisLock({ url: `redis://127.0.0.1:${proxy.port}`, connectTimeout: 500 });
    const name = key();
    try {
      const handle = await lock.acquire(name, { ttl: 10_000, wait: 0 });
      proxy.refusing = true;
      proxy.dropAll();
      const released = handle!.release();
      await sleep(300);
      expect(Number(server.cli('PTTL', `cachet:lock:${name}`))).toBeGreaterThan(5000); // still held
      proxy.heal();
      await released;
      expect(Number(server.cli('PTTL', `cachet:lock:${name}`))).toBe(-2); // gone long before its ttl
    } finally {
      await lock.disconnect();
      await proxy.close();
    }
  });

  test('wait 0 tries once; acquiring with Redis down rejects fast', async () => {
    const a = new RedisLock(server.url);
    const name = key();
    expect(await a.acquire(name, { ttl: 1000, wait: 0 })).toBeDefined();
    expect(await a.acquire(name, { ttl: 1000, wait: 0 })).toBeUndefined();
    const down = new RedisLock({ url: `redis://127.0.0.1:${await freePort()}`, connectTimeout: 300 });
    const started = performance.now();
    await expect(down.acquire(name, { ttl: 1000, wait: 1000 })).rejects.toMatchObject({
      code: 'E_REDIS_CONNECT',
    });
    expect(performance.now() - started).toBeLessThan(1000);
    await Promise.all([a.disconnect(), down.disconnect()]);
  });
});
