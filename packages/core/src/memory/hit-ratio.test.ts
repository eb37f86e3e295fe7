import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PolicyName } from './eviction-policy.js';
import { MemoryStore } from './memory-store.js';

/** `shared/traces` beside the repository (CI clones the repository with `shared/` next to it). */
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const traces = path.resolve(repoRoot, '../shared/traces');
/** A fixed sketch seed, so that the W-TinyLFU numbers are reproducible (production seeds are random). */
const SEED = 42;
const POLICIES: PolicyName[] = ['lru', 'lfu', 'tinylfu'];
/** One row of the README's reference table. */
interface Row {
  trace: string;
  capacity: number;
  lru: number;
  best: number;
  opt: number;
}

function referenceRows(): Row[] {
  const readme = readFileSync(path.join(traces, 'README.md'), 'utf8');
  const pattern = /^\| (\S+) @ (\d+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$/gm;
  return [...readme.matchAll(pattern)].map(([, trace, capacity, lru, , sieve, s3fifo, opt]) => ({
    trace,
    capacity: Number(capacity),
    lru: Number(lru),
    best: Math.max(Number(lru), Number(sieve), Number(s3fifo)),
    opt: Number(opt),
  }));
}

/** The keys of the trace named `trace`, in access order. */
function loadTrace(trace: string): string[] {
  const text = gunzipSync(readFileSync(path.join(traces, `${trace}.trace.gz`))).toString();
  return text.split('\n').filter((line) => line !== '');
}

/** Hit ratio in % of `keys` replayed through the public API: `get`, then `set` on a miss. */
function replay(keys: string[], capacity: number, policy: PolicyName): number {
  const store = new MemoryStore<number>({ maxEntries: capacity, policy, seed: SEED });
  let hits = 0;
  for (const key of keys) {
    if (store.get(key) === undefined) store.set(key, 1);
    else hits++;
  }
  return (100 * hits) / keys.length;
}

/**
 * Hit ratio in % of `copies` copies of `keys` on disjoint key spaces, interleaved access by access,
 * through a store `copies` times as large. Every reuse distance is multiplied by `copies`, so an LRU's
 * hit ratio is exactly the original's: the trace is the same workload at the size of a large cache.
 */
function replayScaled(keys: string[], capacity: number, copies: number, policy: PolicyName): number {
  const store = new MemoryStore<number>({ maxEntries: capacity * copies, policy, seed: SEED });
  const suffixes = Array.from({ length: copies }, (_, copy) => `:${copy}`);
  let hits = 0;
  for (const key of keys) {
    for (let copy = 0; copy < copies; copy++) {
      const scaled = key + suffixes[copy];
      if (store.get(scaled) === undefined) store.set(scaled, 1);
      else hits++;
    }
  }
  return (100 * hits) / (keys.length * copies);
}

describe('hit ratio on the reference traces', () => {
  it('reproduces LRU exactly and keeps W-TinyLFU above LRU and near or above the best of LRU, SIEVE and S3-FIFO', () => {
    const rows = referenceRows();
    expect(rows.length).toBeGreaterThanOrEqual(19);
    const loaded = new Map<string, string[]>();
    const lines = ['| trace @ capacity | lru | lfu | tinylfu | ref LRU | best(LRU,SIEVE,S3-FIFO) | OPT |'];
    lines.push('| --- | --- | --- | --- | --- | --- | --- |');
    const failures: string[] = [];
    for (const row of rows) {
      let keys = loaded.get(row.trace);
      if (keys === undefined) {
        keys = loadTrace(row.trace);
        loaded.set(row.trace, keys);
      }
      const ratio = Object.fromEntries(
        POLICIES.map((policy) => [policy, replay(keys, row.capacity, policy)]),
      );
      const name = `${row.trace}@${row.capacity}`;
      const cells = POLICIES.map((policy) => ratio[policy].toFixed(2));
      lines.push(
        `| ${name} | ${cells.join(' | ')} | ${row.lru.toFixed(2)} | ${row.best.toFixed(2)} | ${row.opt.toFixed(2)} |`,
      );
      if (ratio.lru.toFixed(2) !== row.lru.toFixed(2))
        failures.push(`${name}: lru ${ratio.lru} ≠ ${row.lru}`);
      // The peer libraries of the benchmarks are plain LRUs: the default policy must beat them everywhere.
      if (ratio.tinylfu <= row.lru)
        failures.push(`${name}: tinylfu ${ratio.tinylfu.toFixed(2)} ≤ lru ${row.lru}`);
      if (ratio.tinylfu < row.best - 1) {
        failures.push(`${name}: tinylfu ${ratio.tinylfu.toFixed(2)} < best ${row.best} - 1`);
      }
    }
    console.log(`Hit ratio (%), MemoryStore, seed ${SEED}\n${lines.join('\n')}`);
    expect(failures).toEqual([]);
  }, 120_000);

  // W-TinyLFU's window adapts on ghosts whose age is stored in 15 bits: past about 54,000 entries their
  // reach stops growing with the cache, and past 65,536 entries neither does the ghost table. The same
  // workloads scaled past that must keep their hit ratios.
  it("keeps W-TinyLFU's hit ratios and its lead over LRU in caches of 56,000 and 100,000 entries", () => {
    const cases = [
      // 56,000 entries: the reach (30%) would be 16,800, past what 15 bits hold.
      { trace: 'sprite', capacity: 500, copies: 112 },
      // 100,000 entries: a ghost table sized by the capacity would hold 65,536 ghosts; it holds 32,768.
      { trace: 'web07', capacity: 2000, copies: 50 },
    ];
    const rows = referenceRows();
    const lines = [
      '| trace @ capacity × copies | lru | tinylfu | tinylfu unscaled |',
      '| --- | --- | --- | --- |',
    ];
    const failures: string[] = [];
    for (const { trace, capacity, copies } of cases) {
      const keys = loadTrace(trace);
      const reference = rows.find((row) => row.trace === trace && row.capacity === capacity);
      const lru = replayScaled(keys, capacity, copies, 'lru');
      const tinylfu = replayScaled(keys, capacity, copies, 'tinylfu');
      const unscaled = replay(keys, capacity, 'tinylfu');
      const name = `${trace}@${capacity} × ${copies}`;
      lines.push(`| ${name} | ${lru.toFixed(2)} | ${tinylfu.toFixed(2)} | ${unscaled.toFixed(2)} |`);
      if (lru.toFixed(2) !== reference?.lru.toFixed(2))
        failures.push(`${name}: lru ${lru} ≠ ${reference?.lru}`);
      if (tinylfu <= lru) failures.push(`${name}: tinylfu ${tinylfu.toFixed(2)} ≤ lru ${lru.toFixed(2)}`);
      if (tinylfu < unscaled - 0.5)
        failures.push(`${name}: tinylfu ${tinylfu.toFixed(2)} < ${unscaled.toFixed(2)} unscaled - 0.5`);
    }
    console.log(`Hit ratio (%) at scale, MemoryStore, seed ${SEED}\n${lines.join('\n')}`);
    expect(failures).toEqual([]);
  }, 120_000);
});
