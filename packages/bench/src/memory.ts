/**
 * Benchmarks Cachet's MemoryStore against lru-cache, mnemonist, quick-lru and @isaacs/ttlcache in one
 * run: get-hit, set-with-eviction and a Zipf(0.99) read-through loop at 10k and 1M entries, then heap
 * bytes per entry at 1M entries. Prints medians (over rounds) of tinybench's median ns/op and the ratio
 * to lru-cache.
 *
 *   pnpm --filter @cachet/core build && pnpm --filter bench exec tsx src/memory.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import { Bench } from 'tinybench';
import { BASELINE, type BenchCache, peers } from './memory-peers.js';
import { makeKeys, shuffled, zipf } from './memory-workloads.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  // The heap measurement needs a forced GC: run again with --expose-gc, keeping tsx's loader flags.
  const args = [...process.execArgv, '--expose-gc', ...process.argv.slice(1)];
  process.exit(spawnSync(process.execPath, args, { stdio: 'inherit' }).status ?? 1);
}

const quick = process.argv.includes('--quick');
/** Operations per timed call, so that timer overhead is negligible. */
const BATCH = 1000;
const ROUNDS = quick ? 1 : 3;
const CAPACITIES = quick ? [10_000] : [10_000, 1_000_000];
const TIME_MS = quick ? 100 : 400;
/** Timed calls of the set benchmark; its keys must all be new to the cache. */
const SET_CALLS = quick ? 50 : 200;
/** One shared value: the benchmarks measure the caches, not allocation. */
const VALUE = { v: 1 };

type Workload = 'get-hit' | 'set-evict' | 'zipf read-through';
/** ns/op samples, by workload, capacity and peer. */
const results = new Map<string, number[]>();
const zipfHits = new Map<string, number>();

async function measure(fn: () => void, options: { time: number; iterations: number }): Promise<number> {
  const bench = new Bench({ ...options, warmupTime: 0, warmupIterations: 5, throws: true });
  bench.add('task', fn);
  await bench.run();
  const result = bench.tasks[0].result as unknown as { latency: { p50: number } };
  return (result.latency.p50 * 1e6) / BATCH;
}

function fill(cache: BenchCache, keys: string[]): BenchCache {
  for (const key of keys) cache.set(key, VALUE);
  return cache;
}

function record(workload: Workload, capacity: number, peer: string, nsPerOp: number): void {
  const id = `${workload}|${capacity}|${peer}`;
  results.set(id, [...(results.get(id) ?? []), nsPerOp]);
}

async function speed(capacity: number): Promise<void> {
  const filled = makeKeys('fill', capacity);
  const order = shuffled(capacity, 7);
  const fresh = makeKeys('new', (SET_CALLS + 10) * BATCH);
  const universe = capacity * (capacity >= 1_000_000 ? 4 : 10);
  const zipfKeys = makeKeys('zipf', universe);
  const draws = zipf(universe, 0.99, quick ? 200_000 : 1_000_000, 11);
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round so that no peer always runs first (JIT and GC state).
    const ordered = peers.map((_, i) => peers[(i + round) % peers.length]);
    for (const peer of ordered) {
      let cache = fill(peer.create(capacity), filled);
      let cursor = 0;
      const getHit = await measure(
        () => {
          for (let i = 0; i < BATCH; i++) {
            cache.get(filled[order[cursor]]);
            if (++cursor === capacity) cursor = 0;
          }
        },
        { time: TIME_MS, iterations: 10 },
      );
      record('get-hit', capacity, peer.name, getHit);
      if (peer.evicts === false) continue;

      cache = fill(peer.create(capacity), filled);
      cursor = 0;
      const setEvict = await measure(
        () => {
          for (let i = 0; i < BATCH; i++) cache.set(fresh[cursor++ % fresh.length], VALUE);
        },
        { time: 0, iterations: SET_CALLS },
      );
      record('set-evict', capacity, peer.name, setEvict);

      cache = peer.create(capacity);
      let hits = 0;
      const readThrough = (from: number) => {
        for (let i = from; i < from + BATCH; i++) {
          const key = zipfKeys[draws[i % draws.length]];
          if (cache.get(key) === undefined) cache.set(key, VALUE);
          else hits++;
        }
      };
      for (let i = 0; i < draws.length; i += BATCH) readThrough(i); // warm the cache once, untimed
      hits = 0;
      let position = 0;
      const zipfTime = await measure(
        () => {
          readThrough(position);
          position += BATCH;
        },
        { time: TIME_MS, iterations: 10 },
      );
      record('zipf read-through', capacity, peer.name, zipfTime);
      zipfHits.set(`${capacity}|${peer.name}`, (100 * hits) / Math.max(1, position));
      cache = undefined as never;
      gc!();
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function report(): void {
  for (const workload of ['get-hit', 'set-evict', 'zipf read-through'] as Workload[]) {
    for (const capacity of CAPACITIES) {
      const base = median(results.get(`${workload}|${capacity}|${BASELINE}`) ?? [Number.NaN]);
      console.log(`\n${workload} @ ${capacity.toLocaleString('en')} entries (median of ${ROUNDS} rounds)`);
      console.log('| cache | ns/op | × lru-cache |' + (workload.startsWith('zipf') ? ' hit % |' : ''));
      console.log('| --- | --- | --- |' + (workload.startsWith('zipf') ? ' --- |' : ''));
      for (const peer of peers) {
        const ns = median(results.get(`${workload}|${capacity}|${peer.name}`) ?? [Number.NaN]);
        const hit = workload.startsWith('zipf')
          ? ` ${zipfHits.get(`${capacity}|${peer.name}`)?.toFixed(1)} |`
          : '';
        console.log(`| ${peer.name} | ${ns.toFixed(1)} | ${(ns / base).toFixed(2)} |${hit}`);
      }
    }
  }
}

/** Heap bytes per entry with `count` entries; the keys exist before, so only the cache is counted. */
function heapPerEntry(count: number): void {
  const keys = makeKeys('mem', count);
  console.log(
    `\nheap per entry @ ${count.toLocaleString('en')} entries (keys and the shared value excluded)`,
  );
  console.log('| cache | bytes/entry | × lru-cache |');
  console.log('| --- | --- | --- |');
  let base = Number.NaN;
  for (const peer of peers) {
    gc!();
    gc!();
    const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    let cache: BenchCache | undefined = fill(peer.create(count), keys);
    gc!();
    gc!();
    const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const perEntry = (after - before) / count;
    if (peer.name === BASELINE) base = perEntry;
    console.log(`| ${peer.name} | ${perEntry.toFixed(1)} | ${(perEntry / base).toFixed(2)} |`);
    cache.get(keys[0]); // keep it alive until measured
    cache = undefined;
  }
}

console.log(`node ${process.version}, ${quick ? 'quick' : 'full'} run, batch ${BATCH} ops per timed call`);
for (const capacity of CAPACITIES) await speed(capacity);
report();
heapPerEntry(quick ? 100_000 : 1_000_000);
