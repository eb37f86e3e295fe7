/**
 * Suite 1, the decorated or wrapped memory hit: Cachet's `@Cached` and `cache.getOrSet` against
 * bentocache `getOrSet` (memory driver), cacheable `getOrSet` and `wrap`, cache-manager `wrap`,
 * @type-cacheable `@Cacheable`, p-memoize and lru-cache `fetch()`, all on the same 1,000 warm keys and
 * the same values, each bounded to 10,000 entries with a 10-minute TTL. `await map.get(key)` is the
 * floor: a hit cannot cost less than an async call and a lookup.
 *
 *   pnpm --filter bench exec tsx src/decorated-hit.ts [--quick]
 */
import { KEYS, type User, userKey, users, warmHits } from './fixtures.js';
import { type Contender, runSuite } from './harness.js';
import { type Cached, variantsOf } from './peers/index.js';

/** The options every contender of the suite is built with. */
const CONFIG = { ttl: 600_000, capacity: 10_000, prefix: 'hit' };
const load = async (id: number): Promise<User> => users[id];

export async function main(): Promise<void> {
  const map = new Map<string, User>(users.map((user) => [userKey(user.id), user]));
  const built: Cached[] = [];
  const contenders: Contender[] = [
    { name: 'floor: await map.get(key)', run: async (i) => map.get(userKey(i % KEYS)) },
  ];
  for (const variant of variantsOf('memory')) {
    const cached = await variant.create({ ...CONFIG, load });
    built.push(cached);
    contenders.push(warmHits(variant.name, cached));
  }
  try {
    await runSuite('Decorated memory hit', contenders, {
      batch: 1000,
      rounds: 5,
      time: 400,
      baseline: 'Cachet @Cached',
    });
  } finally {
    for (const cached of built) await cached.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
