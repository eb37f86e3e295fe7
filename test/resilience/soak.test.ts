/**
 * Soak: several processes run mixed reads, writes and tag invalidations through L1 + Redis + RedisBus
 * for a bounded time (CACHET_SOAK_SECONDS, default 20). Every two seconds the writers pause and every
 * process checks every item against the origin: none may hold a value older than the last
 * invalidation. The numbers of checks and violations are printed; violations must be zero.
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
    const violations: string[] = [];
    const until = Date.now() + SECONDS * 1000;
    while (Date.now() < until) {
      await Promise.all(workers.map((w) => w.call('resume')));
      await sleep(Math.min(2000, Math.max(0, until - Date.now())));
      await Promise.all(workers.map((w) => w.call('pause')));
      await sleep(100); // the bus's messages arrive
      const results = await Promise.all(
        workers.map((w) => w.call<{ seen: { i: number; cached: number; truth: number }[] }>('check')),
      );
      results.forEach(({ seen }, p) => {
        for (const { i, cached, truth } of seen) {
          checks++;
          if (cached !== truth) violations.push(`process ${p} item ${i}: served ${cached}, origin ${truth}`);
        }
      });
    }
    const stats = await Promise.all(workers.map((w) => w.call('stats')));
    const reads = stats.reduce((n, s) => n + s.ops.reads, 0);
    const writes = stats.reduce((n, s) => n + s.ops.writes, 0);
    const errors = stats.reduce((n, s) => n + s.errors, 0);
    console.log(
      `[soak] ${SECONDS} s, ${PROCESSES} processes: ${reads} reads, ${writes} writes+invalidations, ` +
        `${checks} checks, ${violations.length} violations, ${errors} store errors`,
    );
    expect(reads).toBeGreaterThan(1000);
    expect(writes).toBeGreaterThan(100);
    expect(violations).toEqual([]);
    expect(errors).toBe(0);
  });
});
