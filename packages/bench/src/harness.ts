/**
 * A thin layer over tinybench for suites that compare Cachet with its peers in one run: each task is a
 * batch of `batch` operations, the suite is run `rounds` times with the tasks interleaved, and the
 * median over rounds of each task's median batch time is reported per operation, with its ratio to a
 * baseline task. The machine is noisy; medians of interleaved rounds are what we quote.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';

/** One contender: a name and one operation (awaited when it returns a promise). */
export interface Contender {
  name: string;
  /** Runs one operation; `i` is the operation's index in its batch. */
  run: (i: number) => unknown;
  /** Prepares the contender before the suite (fills caches etc.). */
  setup?: () => Promise<void> | void;
}

/** Options of a suite run. */
export interface SuiteOptions {
  /** Operations per measured batch. */
  batch: number;
  /** Interleaved rounds; the median over them is reported. */
  rounds: number;
  /** Measuring time per task per round, ms. */
  time: number;
  /** The contender ratios are given against. */
  baseline: string;
}

/** One row of a suite's result. */
export interface Row {
  name: string;
  /** Median nanoseconds per operation. */
  ns: number;
  /** `ns` divided by the baseline's `ns`. */
  ratio: number;
  /**
   * How noisy the run was, ns/op: the fastest and slowest round's median ({@link runSuite}), or the
   * 10th and 90th percentile of the blocks ({@link runPaired}).
   */
  min: number;
  max: number;
}

/** Whether `--quick` was passed: a smoke run that checks the suites still work, not their numbers. */
export const quick = process.argv.includes('--quick');

/** Runs the contenders and prints a table; returns the rows. */
export async function runSuite(
  title: string,
  contenders: Contender[],
  options: SuiteOptions,
): Promise<Row[]> {
  const rounds = quick ? 1 : options.rounds;
  const time = quick ? 50 : options.time;
  for (const contender of contenders) await contender.setup?.();
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time, warmupTime: quick ? 10 : 100, throws: true });
    // Interleave: a different order every round, so that no contender always runs first or last.
    const order = contenders.map((_, i) => (i + round) % contenders.length);
    for (const index of order) {
      const { name, run } = contenders[index];
      bench.add(name, async () => {
        for (let i = 0; i < options.batch; i++) {
          const result = run(i);
          if (result instanceof Promise) await result;
        }
      });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
      samples.get(task.name)!.push((result.latency.p50 * 1e6) / options.batch);
    }
  }
  const base = median(samples.get(options.baseline)!);
  const rows = contenders.map(({ name }) => {
    const values = samples.get(name)!;
    const ns = median(values);
    return { name, ns, ratio: ns / base, min: Math.min(...values), max: Math.max(...values) };
  });
  print(title, rows, options.baseline);
  save(title, rows, options);
  return rows;
}

/** Options of a paired run. */
export interface PairedOptions {
  /** Operations per contender per block. */
  batch: number;
  /** Blocks; each runs every contender's batch once, in an order that rotates from block to block. */
  blocks: number;
  /** Operations per contender before the first block (not measured). */
  warmup: number;
  /** The contender ratios are given against. */
  baseline: string;
}

/**
 * Runs the contenders in paired blocks and prints a table; returns the rows. Each block times one
 * batch of every contender back to back, so that each block's ratio to the baseline compares runs a
 * few milliseconds apart. On a VM whose speed drifts over seconds (a loopback round trip to Redis
 * here moves between 50 and 80 µs from one second to the next), one-second rounds measure the drift
 * as much as the contenders; pairs within a block do not. A row's `ratio` is the median over blocks
 * of its ratio to the baseline in that block, `ns` its median time per operation over blocks, and
 * `min` – `max` the 10th to 90th percentile of those times.
 */
export async function runPaired(
  title: string,
  contenders: Contender[],
  options: PairedOptions,
): Promise<Row[]> {
  const baseline = contenders.findIndex((c) => c.name === options.baseline);
  if (baseline === -1) throw new Error(`runPaired: no contender named ${options.baseline}`);
  const blocks = quick ? 5 : options.blocks;
  const warmup = quick ? 10 : options.warmup;
  for (const contender of contenders) await contender.setup?.();
  for (let i = 0; i < warmup; i++) for (const { run } of contenders) await run(i);
  const times = contenders.map(() => new Array<number>(blocks));
  for (let block = 0; block < blocks; block++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + block) % contenders.length;
      const run = contenders[index].run;
      const start = process.hrtime.bigint();
      for (let i = 0; i < options.batch; i++) {
        const result = run(block * options.batch + i);
        if (result instanceof Promise) await result;
      }
      times[index][block] = Number(process.hrtime.bigint() - start) / options.batch;
    }
  }
  const base = times[baseline];
  const rows = contenders.map(({ name }, index) => {
    const own = times[index];
    return {
      name,
      ns: median(own),
      ratio: median(own.map((ns, block) => ns / base[block])),
      min: percentile(own, 0.1),
      max: percentile(own, 0.9),
    };
  });
  print(title, rows, options.baseline);
  save(title, rows, options);
  return rows;
}

/** The `p` quantile (0 to 1) of `values`, nearest rank. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function print(title: string, rows: Row[], baseline: string): void {
  console.log(`\n## ${title}\n`);
  console.log(`| contender | median ns/op | ratio to ${baseline} |`);
  console.log('| --- | ---: | ---: |');
  for (const row of rows) console.log(`| ${row.name} | ${row.ns.toFixed(1)} | ${row.ratio.toFixed(2)}x |`);
}

/** Writes the rows beside the other results, for the docs. */
function save(title: string, rows: Row[], options: SuiteOptions | PairedOptions): void {
  saveResult(slugOf(title), { title, kind: 'speed', options, rows });
}

/** `Decorated memory hit` → `decorated-memory-hit`. */
export function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The command that produced the results: `BENCH_COMMAND` (set by run.ts), else this script's. */
export function benchCommand(): string {
  if (process.env.BENCH_COMMAND) return process.env.BENCH_COMMAND;
  const script = path.relative(path.resolve(resultsDir, '..'), process.argv[1] ?? '');
  return `pnpm --filter bench exec tsx ${script}${quick ? ' --quick' : ''}`;
}

const resultsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../results');

/**
 * Writes `results/<slug>.json`: `data` stamped with the date, the machine and the command. A quick run
 * writes nothing: its numbers mean nothing.
 */
export function saveResult(slug: string, data: Record<string, unknown>): void {
  if (quick) return;
  mkdirSync(resultsDir, { recursive: true });
  const machine = {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    node: process.version,
    platform: process.platform,
  };
  const stamped = { ...data, date: new Date().toISOString(), machine, command: benchCommand() };
  writeFileSync(path.join(resultsDir, `${slug}.json`), `${JSON.stringify(stamped, null, 2)}\n`);
}
