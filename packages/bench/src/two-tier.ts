/**
 * Suite 2, hits over Redis, against a redis-server this suite starts on a free loopback port:
 *
 * - two-tier hit: an in-process L1 (10,000 entries) over Redis as L2, the key warm in both, so the hit
 *   is served by L1 through each library's two-tier machinery;
 * - L2-only hit: Redis alone, so every hit is a GET and a decode; a bare `@redis/client` GET +
 *   `JSON.parse` of the same value is the floor.
 *
 * Cachet, bentocache, cacheable and cache-manager offer both layouts; @type-cacheable only the second.
 * No bus anywhere (one process). Every contender must serve all its hits without calling the loader.
 *
 *   pnpm --filter bench exec tsx src/two-tier.ts [--quick]
 */
import { createClient } from '@redis/client';
import { KEYS, sleep, type User, userKey, users, warmHits } from './fixtures.js';
import { type Contender, runSuite } from './harness.js';
import { type Cached, type Layout, variantsOf } from './peers/index.js';
import { type RedisServer, startRedis } from './redis-server.js';

/** Builds the contenders of one layout, warm, each counting its loader calls. */
async function contendersOf(
  layout: Layout,
  redis: RedisServer,
  built: Cached[],
  loads: Map<string, number>,
): Promise<Contender[]> {
  const contenders: Contender[] = [];
  for (const variant of variantsOf(layout)) {
    const slug = variant.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const load = async (id: number): Promise<User> => {
      loads.set(variant.name, (loads.get(variant.name) ?? 0) + 1);
      return users[id];
    };
    const cached = await variant.create({
      load,
      ttl: 3_600_000,
      capacity: 10_000,
      redis,
      prefix: `${layout}-${slug}:`,
    });
    built.push(cached);
    // Let write-behind (a non-blocking L2 write) land before measuring.
    contenders.push(warmHits(variant.name, cached, () => sleep(100)));
  }
  return contenders;
}

function checkLoads(loads: Map<string, number>): void {
  for (const [name, count] of loads) {
    if (count !== KEYS)
      throw new Error(`${name} called its loader ${count} times for ${KEYS} keys: a hit missed`);
  }
}

export async function main(): Promise<void> {
  const redis = await startRedis();
  const bare = createClient({ url: redis.url });
  await bare.connect();
  const built: Cached[] = [];
  try {
    const twoTierLoads = new Map<string, number>();
    await runSuite(
      'Two-tier hit (L1 memory + L2 Redis)',
      await contendersOf('two-tier', redis, built, twoTierLoads),
      {
        batch: 1000,
        rounds: 5,
        time: 400,
        baseline: 'Cachet @Cached',
      },
    );
    checkLoads(twoTierLoads);

    for (const user of users) await bare.set(`bare:${userKey(user.id)}`, JSON.stringify(user));
    const l2Loads = new Map<string, number>();
    const contenders: Contender[] = [
      {
        name: 'floor: bare GET + JSON.parse',
        run: async (i) => JSON.parse((await bare.get(`bare:${userKey(i % KEYS)}`)) as string),
      },
      ...(await contendersOf('l2', redis, built, l2Loads)),
    ];
    await runSuite('L2-only hit (Redis)', contenders, {
      batch: 50,
      rounds: 5,
      time: 600,
      baseline: 'Cachet @Cached',
    });
    checkLoads(l2Loads);
  } finally {
    for (const cached of built) await cached.close();
    await bare.quit();
    await redis.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
