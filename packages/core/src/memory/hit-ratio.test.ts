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
        const text = gunzipSync(readFileSync(path.join(traces, `${row.trace}.trace.gz`))).toString();
        keys = text.split('\n').filter((line) => line !== '');
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
});
