import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { missing } from '../support/skip.js';
import { CacheWorker, type WorkerOptions } from '../support/worker-process.js';

const skip = missing('multi-process cache', 'redis-server', 'redis-cli');

/** The q-th quantile of `values` (nearest rank). */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Starts `n` worker processes and waits until each one's cache exists. */
async function startWorkers(n: number, options: WorkerOptions): Promise<CacheWorker[]> {
  const workers = Array.from({ length: n }, () => new CacheWorker(options));
  await Promise.all(workers.map((worker) => worker.ready()));
  return workers;
}

describe.skipIf(skip)('3 processes sharing Redis (L1 + L2 + RedisBus)', () => {
  let server: RedisServer;
  const workers: CacheWorker[] = [];
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await server?.stop();
  });

  test('a write in one process is seen by the other two within 50 ms (p50/p99 over 100 writes)', async () => {
    const [writer, ...observers] = await startWorkers(3, {
      url: server.url,
      channel: 'cachet:bus:mp-latency',
      namespace: 'mp-latency',
    });
    workers.push(writer, ...observers);
    const round = async (value: number) => {
      // Everyone holds the previous value in L1; the observers poll until they see the new one.
      const watching = observers.map((o) => o.call('watch', { key: 'shared', expect: value, limit: 2000 }));
      const { startedAt } = await writer.call('set', { key: 'shared', value });
      const seen = await Promise.all(watching);
      return seen.map(({ seenAt }) => (seenAt === undefined ? Number.POSITIVE_INFINITY : seenAt - startedAt));
    };
    await writer.call('set', { key: 'shared', value: 0 });
    for (const o of observers) expect((await o.call('get', { key: 'shared' })).value).toBe(0);
    for (let i = 1; i <= 5; i++) await round(-i); // warm-up: connections and subscriptions settle
    const latencies: number[] = [];
    for (let i = 1; i <= 100; i++) latencies.push(...(await round(i)));
    const p50 = quantile(latencies, 0.5);
    const p99 = quantile(latencies, 0.99);
    const max = Math.max(...latencies);
    console.log(
      `[multi-process] invalidation seen by other processes: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, ` +
        `max ${max.toFixed(2)} ms over ${latencies.length} observations`,
    );
    expect(p99).toBeLessThan(50);
    for (const o of observers) expect((await o.call('stats')).errors).toEqual([]);
  }, 120_000);

  test('control: without a bus, another process keeps serving its stale L1 copy', async () => {
    const [writer, observer] = await startWorkers(2, {
      url: server.url,
      channel: 'unused',
      namespace: 'mp-nobus',
      bus: false,
    });
    workers.push(writer, observer);
    await writer.call('set', { key: 'shared', value: 'old' });
    expect((await observer.call('get', { key: 'shared' })).value).toBe('old');
    await writer.call('set', { key: 'shared', value: 'new' });
    const { seenAt } = await observer.call('watch', { key: 'shared', expect: 'new', limit: 300 });
    // So the latencies above measure the bus evicting L1, not a read that bypasses L1.
    expect(seenAt).toBeUndefined();
  });

  for (const lock of [false, true]) {
    test(`3 processes x 100 concurrent callers ${lock ? 'with RedisLock run the loader once' : 'without a lock run it once per process'}`, async () => {
      const group = await startWorkers(3, {
        url: server.url,
        channel: `cachet:bus:mp-lock-${lock}`,
        namespace: `mp-lock-${lock}`,
        lock,
      });
      workers.push(...group);
      const counterKey = `loader-runs:${lock}`;
      const results = await Promise.all(
        group.map((worker) =>
          worker.call('stampede', { key: 'expensive', callers: 100, loadMs: 200, counterKey }),
        ),
      );
      const runs = Number(server.cli('GET', counterKey));
      console.log(
        `[multi-process] ${lock ? 'with' : 'without'} RedisLock: loader ran ${runs} time(s) for 3 x 100 callers`,
      );
      for (const result of results) {
        expect(result.count).toBe(100);
        expect(result.distinct).toEqual(['value of expensive']);
      }
      expect(runs).toBe(lock ? 1 : 3);
    }, 60_000);
  }
});
