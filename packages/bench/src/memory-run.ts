/**
 * One measurement process of the memory benchmark (spawned by `memory.ts`): one cache, one capacity,
 * a fresh JIT, so that no peer's code shapes another's inline caches. Prints one JSON line.
 *
 *   tsx --expose-gc src/memory-run.ts <peer> <capacity> [--quick] [--heap]
 */
import { Bench } from 'tinybench';
import { type BenchCache, type Peer, peers } from './memory-peers.js';
import { makeKeys, shuffled, zipf } from './memory-workloads.js';

/** Operations per timed call, so that timer overhead is negligible. */
export const BATCH = 1000;
/** One shared value: the benchmarks measure the caches, not allocation. */
const VALUE = { v: 1 };

/** What one process reports. */
export interface RunResult {
  'get-hit'?: number;
  'set-evict'?: number;
  'zipf read-through'?: number;
  zipfHitRatio?: number;
  heapPerEntry?: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/**
 * The clock of the timed calls: this process's CPU time (µs resolution on Linux), not wall time, so
 * that time spent descheduled on a busy machine (other processes, the other core's jobs) is not
 * counted. Cache and memory-bus contention from other processes still shows.
 */
function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

async function nsPerOp(fn: () => void, time: number, iterations: number): Promise<number> {
  const bench = new Bench({
    time,
    iterations,
    warmupTime: 0,
    warmupIterations: 5,
    throws: true,
    now: cpuNow,
  });
  bench.add('task', fn);
  await bench.run();
  const result = bench.tasks[0].result as unknown as { latency: { p50: number } };
  return (result.latency.p50 * 1e6) / BATCH;
}

function fill(cache: BenchCache, keys: string[]): BenchCache {
  for (const key of keys) cache.set(key, VALUE);
  return cache;
}

async function speed(peer: Peer, capacity: number, quick: boolean): Promise<RunResult> {
  const time = quick ? 100 : 400;
  const result: RunResult = {};
  const filled = makeKeys('fill', capacity);
  const order = shuffled(capacity, 7);
  let cache = fill(peer.create(capacity), filled);
  let cursor = 0;
  const getHits = () => {
    for (let i = 0; i < BATCH; i++) {
      cache.get(filled[order[cursor]]);
      if (++cursor === capacity) cursor = 0;
    }
  };
  for (let i = 0; i < 200; i++) getHits(); // let the JIT settle before timing
  result['get-hit'] = await nsPerOp(getHits, time, 10);
  if (peer.evicts === false) return result;

  // Every set is a key the cache has never seen: the timed calls are counted so the keys suffice.
  const setCalls = quick ? 50 : 200;
  const fresh = makeKeys('new', (setCalls + 10) * BATCH);
  cache = fill(peer.create(capacity), filled);
  cursor = 0;
  result['set-evict'] = await nsPerOp(
    () => {
      for (let i = 0; i < BATCH; i++) cache.set(fresh[cursor++ % fresh.length], VALUE);
    },
    0,
    setCalls,
  );

  // Zipf(0.99) over 10 × capacity keys (4 × at 1M, to bound memory): a read-through loop with misses
  // and evictions at both sizes.
  const large = capacity >= 1_000_000;
  const universe = (large ? 4 : 10) * capacity;
  const zipfKeys = makeKeys('zipf', universe);
  const draws = zipf(universe, 0.99, large ? 3 * capacity : quick ? 200_000 : 1_000_000, 11);
  cache = peer.create(capacity);
  let hits = 0;
  let position = 0;
  const readThrough = () => {
    for (let i = 0; i < BATCH; i++) {
      const key = zipfKeys[draws[position++ % draws.length]];
      if (cache.get(key) === undefined) cache.set(key, VALUE);
      else hits++;
    }
  };
  // Warm the cache, untimed, on the first half of the draws; time the continuation (new draws, so
  // misses and evictions keep happening; a replay of the warm-up draws would only hit).
  while (position < draws.length / 2) readThrough();
  hits = 0;
  const start = position;
  result['zipf read-through'] = await nsPerOp(readThrough, time, 10);
  result.zipfHitRatio = (100 * hits) / (position - start);
  return result;
}

/** Heap bytes per entry with `count` entries; the keys exist before, so only the cache is counted. */
function heapPerEntry(peer: Peer, count: number): RunResult {
  const keys = makeKeys('mem', count);
  gc();
  gc();
  const before = process.memoryUsage();
  const cache = fill(peer.create(count), keys);
  gc();
  gc();
  const after = process.memoryUsage();
  const bytes = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  cache.get(keys[0]); // keeps the cache alive until measured
  return { heapPerEntry: bytes / count };
}

const [name, capacityArg] = process.argv.slice(2);
const peer = peers.find((candidate) => candidate.name === name);
if (peer === undefined) throw new TypeError(`memory-run: unknown peer ${name}`);
const capacity = Number(capacityArg);
const quick = process.argv.includes('--quick');
const result = process.argv.includes('--heap')
  ? heapPerEntry(peer, capacity)
  : await speed(peer, capacity, quick);
console.log(JSON.stringify(result));
