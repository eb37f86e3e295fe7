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
  /** The fastest and slowest round's median, ns/op: how noisy the run was. */
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
function save(title: string, rows: Row[], options: SuiteOptions): void {
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
