/**
 * Soak: several processes run mixed reads, writes and tag invalidations through L1 + Redis + RedisBus
 * for a bounded time (CACHET_SOAK_SECONDS, default 20). Every two seconds the writers pause and every
 * process checks every item against the origin: none may hold a value older than the last
 * invalidation (a process still wrong a second later: one right by then only got a bus message late).
 * The numbers of checks and violations are printed; violations must be zero.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { missing } from '../support/skip.js';
import { CacheWorker } from '../support/worker-process.js';

const SECONDS = Number(process.env.CACHET_SOAK_SECONDS ?? 20);
const PROCESSES = 3;
const KEYS = 20;
const script = fileURLToPath(new URL('../fixtures/soak-worker.mjs', import.meta.url));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.skipIf(missing('soak', 'redis-server'))('soak: processes sharing Redis with L1 + bus', () => {
  let redis: RedisServer;
  let workers: CacheWorker[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    const options = { url: redis.url, channel: 'soak', namespace: 'soak', keys: KEYS, writeRatio: 0.3 };
    workers = Array.from({ length: PROCESSES }, () => new CacheWorker(options, script));
    await Promise.all(workers.map((w) => w.ready()));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await redis?.stop();
  });

  test(`no process serves a value older than the last invalidation (${SECONDS} s)`, {
    timeout: SECONDS * 1000 + 60_000,
  }, async () => {
    let checks = 0;
    let late = 0;
    const violations: string[] = [];
    const check = (w: CacheWorker) =>
      w.call<{ seen: { i: number; cached: number; truth: number }[] }>('check');
    const until = Date.now() + SECONDS * 1000;
    while (Date.now() < until) {
      await Promise.all(workers.map((w) => w.call('resume')));
      await sleep(Math.min(2000, Math.max(0, until - Date.now())));
      await Promise.all(workers.map((w) => w.call('pause')));
      await sleep(100); // the bus's messages arrive
      const results = await Promise.all(workers.map(check));
      const suspects = new Set<number>();
      results.forEach(({ seen }, p) => {
        for (const { cached, truth } of seen) {
          checks++;
          if (cached !== truth) suspects.add(p);
        }
      });
      if (suspects.size === 0) continue;
      // A bus message slower than 100 ms on a busy machine is late, not wrong: a stale entry itself
      // stays until its TTL (60 s), so what is still wrong a second later is a violation.
      await sleep(1000);
      for (const p of suspects) {
        const wrong = results[p].seen.filter(({ cached, truth }) => cached !== truth).length;
        const { seen } = await check(workers[p]);
        const still = seen.filter(({ cached, truth }) => cached !== truth);
        late += wrong - still.length;
        for (const { i, cached, truth } of still) {
          violations.push(`process ${p} item ${i}: served ${cached}, origin ${truth}`);
        }
      }
    }
    const stats = await Promise.all(workers.map((w) => w.call('stats')));
    const reads = stats.reduce((n, s) => n + s.ops.reads, 0);
    const writes = stats.reduce((n, s) => n + s.ops.writes, 0);
    const errors = stats.reduce((n, s) => n + s.errors, 0);
    console.log(
      `[soak] ${SECONDS} s, ${PROCESSES} processes: ${reads} reads, ${writes} writes+invalidations, ` +
        `${checks} checks, ${violations.length} violations, ${late} right only on a second look a second later, ${errors} store errors`,
    );
    expect(reads).toBeGreaterThan(1000);
    expect(writes).toBeGreaterThan(100);
    expect(violations).toEqual([]);
    expect(errors).toBe(0);
  });
});
