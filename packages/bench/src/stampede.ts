/**
 * Suite 3, the stampede: 1,000 callers ask for one cold key at once, and again for the same key just
 * after its TTL ran out. The loader takes 50 ms. For each library (in memory, and over Redis where it
 * has two tiers): how many times the loader ran, and each caller's latency, p50 and p99.
 *
 * Then the same over Redis with 4 instances of each library sharing it, the callers spread over them:
 * what 4 processes of one service see (each instance has its own memory, connections and in-flight
 * map; they share only Redis). Cachet runs with and without its opt-in `RedisLock`.
 *
 *   pnpm --filter bench exec tsx src/stampede.ts [--quick]
 */
import { sleep, type User, users } from './fixtures.js';
import { quick, saveResult } from './harness.js';
import { type Cached, cachetLocked, type Layout, type Variant, variantsOf } from './peers/index.js';
import { type RedisServer, startRedis } from './redis-server.js';

const CALLERS = 1000;
const LOADER_MS = 50;
/** Whole seconds: @type-cacheable's Redis adapter takes seconds. */
const TTL_MS = 1000;

/** What one wave of callers saw. */
export interface Wave {
  /** Loader runs during the wave. */
  runs: number;
  /** Caller latency, ms. */
  p50: number;
  p99: number;
  max: number;
  /** Callers that got an error or a wrong value. */
  failed: number;
}

/** Instances sharing Redis in the many-instance wave. */
const INSTANCES = 4;

/** One library's row. */
export interface StampedeRow {
  name: string;
  layout: Layout;
  /** Instances the callers were spread over. */
  instances: number;
  cold: Wave;
  expiry: Wave;
}

async function wave(get: (id: number) => Promise<User>, runs: () => number): Promise<Wave> {
  const before = runs();
  const latencies = new Float64Array(CALLERS);
  let failed = 0;
  const calls: Promise<void>[] = [];
  for (let i = 0; i < CALLERS; i++) {
    const start = performance.now();
    calls.push(
      get(0).then(
        (user) => {
          latencies[i] = performance.now() - start;
          if (user?.id !== 0) failed++;
        },
        () => {
          latencies[i] = performance.now() - start;
          failed++;
        },
      ),
    );
  }
  await Promise.all(calls);
  latencies.sort();
  const at = (q: number) => latencies[Math.min(CALLERS - 1, Math.floor(q * CALLERS))];
  return { runs: runs() - before, p50: at(0.5), p99: at(0.99), max: latencies[CALLERS - 1], failed };
}

async function stampede(variant: Variant, redis: RedisServer, instances: number): Promise<StampedeRow> {
  let runs = 0;
  const load = async (id: number): Promise<User> => {
    runs++;
    await sleep(LOADER_MS);
    return users[id];
  };
  const slug = variant.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const prefix = `stampede-${instances}-${variant.layout}-${slug}:`;
  const built: Cached[] = [];
  try {
    for (let i = 0; i < instances; i++) {
      built.push(await variant.create({ load, ttl: TTL_MS, capacity: 10_000, redis, prefix }));
    }
    // Warm up each instance on another key, so that connecting to Redis and first-call compilation
    // are not counted in the cold wave.
    for (const cached of built) await cached.get(1);
    let next = 0;
    const get = (id: number) => built[next++ % instances].get(id);
    const cold = await wave(get, () => runs);
    await sleep(TTL_MS + 100);
    const expiry = await wave(get, () => runs);
    const name = variant.layout === 'l2' ? `${variant.name} (Redis only)` : variant.name;
    return { name, layout: variant.layout, instances, cold, expiry };
  } finally {
    for (const cached of built) await cached.close();
  }
}

function print(title: string, rows: StampedeRow[]): void {
  console.log(`\n## ${title}\n`);
  console.log('| contender | loader runs, cold | p50 / p99 ms | loader runs, at expiry | p50 / p99 ms |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const ms = (wave: Wave) => `${wave.p50.toFixed(1)} / ${wave.p99.toFixed(1)}`;
  for (const { name, cold, expiry } of rows) {
    console.log(`| ${name} | ${cold.runs} | ${ms(cold)} | ${expiry.runs} | ${ms(expiry)} |`);
  }
}

export async function main(): Promise<void> {
  const typeCacheableOnRedis = variantsOf('l2').filter((v) => v.library === '@type-cacheable/core');
  const redis = await startRedis();
  const rows: StampedeRow[] = [];
  // Quick: one variant per library is enough to see that the suite still works.
  const kind = (v: Variant) => (v === cachetLocked ? 'cachet+lock' : v.library);
  const pick = (list: Variant[]) =>
    quick ? list.filter((v, i) => list.findIndex((w) => kind(w) === kind(v)) === i) : list;
  const waves: [string, Variant[], number][] = [
    ['memory', variantsOf('memory'), 1],
    ['L1 memory + L2 Redis', variantsOf('two-tier'), 1],
    [
      `${INSTANCES} instances sharing Redis`,
      // @type-cacheable has no two tiers: its Redis-only set-up stands in.
      [...variantsOf('two-tier'), cachetLocked, ...typeCacheableOnRedis],
      INSTANCES,
    ],
  ];
  try {
    for (const [title, list, instances] of waves) {
      const waveRows: StampedeRow[] = [];
      for (const variant of pick(list)) waveRows.push(await stampede(variant, redis, instances));
      print(`Stampede (${title})`, waveRows);
      rows.push(...waveRows);
    }
  } finally {
    await redis.stop();
  }
  const failures = rows.filter((row) => row.cold.failed + row.expiry.failed > 0);
  for (const row of failures) console.log(`${row.name} (${row.layout}): some callers failed`);
  saveResult('stampede', {
    title: 'Stampede',
    kind: 'stampede',
    options: { callers: CALLERS, loaderMs: LOADER_MS, ttlMs: TTL_MS },
    rows,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
