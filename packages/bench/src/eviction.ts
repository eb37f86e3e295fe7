/**
 * Suite 4, eviction: the hit ratio of Cachet's MemoryStore policies (tinylfu, the default, lru, lfu)
 * against lru-cache, @cacheable/memory's `CacheableMemory` and bentocache's memory driver, on the
 * shared traces at the capacities of their README (one access = one lookup; a miss inserts). The
 * README's LRU column is exact: Cachet's lru and lru-cache must reproduce it, which checks the replay.
 * Traces: `../shared/traces` from the repository root, or `CACHET_TRACES`. Quick mode skips the two
 * long traces (loop, oltp).
 *
 *   pnpm --filter bench exec tsx src/eviction.ts [--quick]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { CacheableMemory } from '@cacheable/memory';
import { MemoryStore } from '@cachet/core';
import { MemoryDriver } from 'bentocache/drivers/memory';
import { LRUCache } from 'lru-cache';
import { quick, saveResult } from './harness.js';

/** A store under test: only lookups and inserts. */
interface Store {
  get(key: string): unknown;
  set(key: string, value: unknown): unknown;
}

/** The contenders, each bounded to `capacity` entries. */
const contenders: { name: string; create: (capacity: number) => Store }[] = [
  { name: 'Cachet tinylfu', create: (maxEntries) => new MemoryStore({ maxEntries, policy: 'tinylfu' }) },
  { name: 'Cachet lru', create: (maxEntries) => new MemoryStore({ maxEntries, policy: 'lru' }) },
  { name: 'Cachet lfu', create: (maxEntries) => new MemoryStore({ maxEntries, policy: 'lfu' }) },
  { name: 'lru-cache', create: (max) => new LRUCache<string, object>({ max }) as Store },
  { name: '@cacheable/memory', create: (lruSize) => new CacheableMemory({ lruSize, useClone: false }) },
  {
    name: 'bentocache memory driver',
    create: (maxItems) => {
      const driver = new MemoryDriver({ maxItems, serialize: false });
      return { get: (key) => driver.get(key), set: (key, value) => driver.set(key, value as string) };
    },
  },
];

/** The rows of the traces README: trace, capacity, and its LRU and OPT hit ratios (%). */
const ROWS: [trace: string, capacity: number, lru: number, opt: number][] = [
  ['gli', 500, 0.95, 34.26],
  ['gli', 1000, 11.21, 53.13],
  ['gli', 1500, 36.56, 57.96],
  ['loop', 500, 0.0, 49.36],
  ['loop', 1000, 0.0, 98.71],
  ['multi2', 500, 35.98, 53.6],
  ['multi2', 1000, 47.8, 62.16],
  ['multi2', 2000, 49.0, 74.65],
  ['2_pools', 100, 21.95, 50.64],
  ['2_pools', 500, 51.06, 62.84],
  ['sprite', 100, 21.58, 50.8],
  ['sprite', 500, 78.3, 87.88],
  ['cs', 500, 1.83, 31.32],
  ['web07', 500, 45.58, 59.16],
  ['web07', 1000, 50.41, 63.58],
  ['web07', 2000, 55.5, 67.97],
  ['oltp', 500, 23.45, 46.42],
  ['oltp', 1000, 32.83, 53.61],
  ['oltp', 2000, 42.47, 60.4],
];
const LONG = new Set(['loop', 'oltp']);

/** One row of the result. */
export interface EvictionRow {
  trace: string;
  capacity: number;
  refs: number;
  /** The README's reference hit ratios, %. */
  reference: { lru: number; opt: number };
  /** Hit ratio (%) by contender. */
  hitRatio: Record<string, number>;
}

function tracesDir(): string {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  return process.env.CACHET_TRACES ?? path.resolve(repo, '../shared/traces');
}

/** The trace as keys, each distinct key one string shared by all its accesses. */
function readTrace(dir: string, name: string): string[] {
  const text = gunzipSync(readFileSync(path.join(dir, `${name}.trace.gz`))).toString('utf8');
  const interned = new Map<string, string>();
  const keys: string[] = [];
  for (const line of text.split('\n')) {
    const key = line.trim();
    if (key === '') continue;
    let shared = interned.get(key);
    if (shared === undefined) interned.set(key, (shared = `k${key}`));
    keys.push(shared);
  }
  return keys;
}

const VALUE = { v: 1 };

function hitRatio(store: Store, keys: string[]): number {
  let hits = 0;
  for (const key of keys) {
    if (store.get(key) !== undefined) hits++;
    else store.set(key, VALUE);
  }
  return (100 * hits) / keys.length;
}

export async function main(): Promise<void> {
  const dir = tracesDir();
  if (!existsSync(dir)) {
    console.log(`\n## Eviction hit ratio\n\nskipped: no traces at ${dir} (set CACHET_TRACES)`);
    return;
  }
  const rows: EvictionRow[] = [];
  const traces = new Map<string, string[]>();
  console.log('\n## Eviction hit ratio (%)\n');
  console.log(`| trace @ capacity | ${contenders.map((c) => c.name).join(' | ')} | LRU (ref) | OPT (ref) |`);
  console.log(`| --- |${' ---: |'.repeat(contenders.length + 2)}`);
  for (const [trace, capacity, lru, opt] of ROWS) {
    if (quick && LONG.has(trace)) continue;
    if (!traces.has(trace)) traces.set(trace, readTrace(dir, trace));
    const keys = traces.get(trace)!;
    const hitRatios: Record<string, number> = {};
    for (const contender of contenders)
      hitRatios[contender.name] = hitRatio(contender.create(capacity), keys);
    rows.push({ trace, capacity, refs: keys.length, reference: { lru, opt }, hitRatio: hitRatios });
    const cells = contenders.map((c) => hitRatios[c.name].toFixed(2)).join(' | ');
    console.log(`| ${trace} @ ${capacity} | ${cells} | ${lru.toFixed(2)} | ${opt.toFixed(2)} |`);
    // The replay is right only if an exact LRU reproduces the reference.
    const replayed = hitRatios['lru-cache'];
    if (Math.abs(replayed - lru) > 0.005) {
      throw new Error(
        `${trace} @ ${capacity}: lru-cache ${replayed.toFixed(2)}% vs the README's LRU ${lru}%`,
      );
    }
  }
  saveResult('eviction-hit-ratio', {
    title: 'Eviction hit ratio',
    kind: 'hit-ratio',
    contenders: contenders.map((c) => c.name),
    rows,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
