/**
 * Benchmarks Cachet's MemoryStore against lru-cache, mnemonist, quick-lru and @isaacs/ttlcache:
 * get-hit, set-with-eviction and a Zipf(0.99) read-through loop at 10k and 1M entries, and heap bytes
 * per entry at 1M entries. Each (cache, capacity, round) runs in its own process (`memory-run.ts`), the
 * caches in a rotating order; the tables give the median over rounds of tinybench's median ns/op, and
 * the ratio to lru-cache.
 *
 *   pnpm --filter @cachet/core build && pnpm --filter bench exec tsx src/memory.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BASELINE, peers } from './memory-peers.js';
import type { RunResult } from './memory-run.js';

const quick = process.argv.includes('--quick');
const rounds = quick ? 1 : Number(process.argv.find((arg) => arg.startsWith('--rounds='))?.slice(9) ?? 5);
const capacities = quick ? [10_000] : [10_000, 1_000_000];
const heapEntries = quick ? 100_000 : 1_000_000;
const runner = fileURLToPath(new URL('./memory-run.ts', import.meta.url));

/** Runs one measurement process; tsx's loader flags are inherited through `execArgv`. */
function run(peer: string, capacity: number, ...flags: string[]): RunResult {
  const args = [...process.execArgv, '--expose-gc', runner, peer, String(capacity), ...flags];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`memory-run ${peer} ${capacity} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as RunResult;
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const samples = new Map<string, number[]>();
const add = (id: string, value: number | undefined) => {
  if (value !== undefined) samples.set(id, [...(samples.get(id) ?? []), value]);
};

console.log(`node ${process.version}; ${rounds} round(s); 1000 ops per timed call; one process per run`);
for (let round = 0; round < rounds; round++) {
  for (const capacity of capacities) {
    for (let i = 0; i < peers.length; i++) {
      const peer = peers[(i + round) % peers.length];
      const result = run(peer.name, capacity, ...(quick ? ['--quick'] : []));
      for (const workload of ['get-hit', 'set-evict', 'zipf read-through'] as const) {
        add(`${workload}|${capacity}|${peer.name}`, result[workload]);
      }
      add(`zipf hit|${capacity}|${peer.name}`, result.zipfHitRatio);
      process.stderr.write('.');
    }
  }
}
process.stderr.write('\n');

for (const workload of ['get-hit', 'set-evict', 'zipf read-through'] as const) {
  for (const capacity of capacities) {
    const base = median(samples.get(`${workload}|${capacity}|${BASELINE}`) ?? []);
    const zipfColumn = workload === 'zipf read-through';
    console.log(`\n${workload} @ ${capacity.toLocaleString('en')} entries: ns/op, median of ${rounds}`);
    console.log(`| cache | ns/op | × lru-cache |${zipfColumn ? ' hit % |' : ''}`);
    console.log(`| --- | --- | --- |${zipfColumn ? ' --- |' : ''}`);
    for (const peer of peers) {
      const ns = median(samples.get(`${workload}|${capacity}|${peer.name}`) ?? []);
      if (Number.isNaN(ns)) continue;
      const hit = median(samples.get(`zipf hit|${capacity}|${peer.name}`) ?? []);
      console.log(
        `| ${peer.name} | ${ns.toFixed(1)} | ${(ns / base).toFixed(2)} |${zipfColumn ? ` ${hit.toFixed(1)} |` : ''}`,
      );
    }
  }
}

console.log(
  `\nheap per entry @ ${heapEntries.toLocaleString('en')} entries (keys and the shared value excluded)`,
);
console.log('| cache | bytes/entry | × lru-cache |');
console.log('| --- | --- | --- |');
const heap = new Map(
  peers.map((peer) => [peer.name, run(peer.name, heapEntries, '--heap').heapPerEntry ?? 0]),
);
for (const [name, bytes] of heap) {
  console.log(`| ${name} | ${bytes.toFixed(1)} | ${(bytes / (heap.get(BASELINE) ?? 1)).toFixed(2)} |`);
}
