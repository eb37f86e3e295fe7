/**
 * Turns `results/*.json` into the tables and SVG charts of `docs/benchmarks.md`: each block of the page
 * between `<!-- bench:<name> -->` and `<!-- /bench:<name> -->` is rewritten, charts go to
 * `docs/benchmarks/<name>.svg`; the prose around the blocks is left alone. `pnpm bench` runs it at the
 * end; `pnpm --filter bench run report` re-renders from the results alone.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Bar, barChart, divergingChart } from './svg.js';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(benchDir, 'results');
const docsDir = path.resolve(benchDir, '../../docs');
const chartsDir = path.join(docsDir, 'benchmarks');
const page = path.join(docsDir, 'benchmarks.md');

/** The peers whose installed versions the page lists. */
const PEERS = [
  'bentocache',
  'cacheable',
  '@cacheable/memory',
  'cache-manager',
  '@type-cacheable/core',
  '@type-cacheable/lru-cache-adapter',
  '@type-cacheable/ioredis-adapter',
  'p-memoize',
  'lru-cache',
  'mnemonist',
  'quick-lru',
  '@isaacs/ttlcache',
  'keyv',
  '@keyv/redis',
  '@redis/client',
  'ioredis',
  'tinybench',
];

interface Machine {
  cpus: number;
  cpu?: string;
  node: string;
  platform: string;
}

interface Result {
  slug: string;
  title: string;
  kind?: string;
  date: string;
  machine: Machine;
  command?: string;
  [field: string]: unknown;
}

interface SpeedRow {
  name: string;
  ns: number;
  ratio: number;
  min?: number;
  max?: number;
}

interface Wave {
  runs: number;
  p50: number;
  p99: number;
  failed: number;
}

interface StampedeRow {
  name: string;
  layout: string;
  instances: number;
  cold: Wave;
  expiry: Wave;
}

interface EvictionRow {
  trace: string;
  capacity: number;
  reference: { lru: number; opt: number };
  hitRatio: Record<string, number>;
}

interface Table {
  heading: string;
  header: string[];
  rows: string[][];
}

export async function main(): Promise<void> {
  const results = loadResults();
  const blocks = new Map<string, string>();
  mkdirSync(chartsDir, { recursive: true });
  blocks.set('stamp', stamp(results));
  blocks.set('versions', versions());
  for (const result of results) {
    const render = { speed, stampede, 'hit-ratio': hitRatio, tables }[result.kind ?? 'speed'];
    if (render) blocks.set(result.slug, `${provenance(result)}\n\n${render(result)}`);
  }
  let text = readFileSync(page, 'utf8');
  const names: string[] = [];
  text = text.replace(/<!-- bench:([a-z0-9-]+) -->[\s\S]*?<!-- \/bench:\1 -->/g, (whole, name: string) => {
    names.push(name);
    const block = blocks.get(name);
    if (block === undefined) return whole;
    return `<!-- bench:${name} -->\n${block.trim()}\n<!-- /bench:${name} -->`;
  });
  writeFileSync(page, text);
  const unused = [...blocks.keys()].filter((name) => !names.includes(name));
  console.log(
    `\nreport: ${names.length} blocks of docs/benchmarks.md rewritten from ${results.length} results`,
  );
  if (unused.length > 0) console.log(`report: results with no block on the page: ${unused.join(', ')}`);
}

function loadResults(): Result[] {
  if (!existsSync(resultsDir)) return [];
  return readdirSync(resultsDir)
    .filter((file) => file.endsWith('.json') && !file.endsWith('.raw.json'))
    .sort()
    .map((file) => ({
      ...(JSON.parse(readFileSync(path.join(resultsDir, file), 'utf8')) as Result),
      slug: file.slice(0, -'.json'.length),
    }));
}

function machineOf(machine: Machine): string {
  return `${machine.cpus} × ${machine.cpu?.trim() ?? 'unknown CPU'}, Node ${machine.node}, ${machine.platform}`;
}

function stamp(results: Result[]): string {
  if (results.length === 0) return '_No results yet: run `pnpm bench`._';
  const latest = results.reduce((a, b) => (a.date > b.date ? a : b));
  const days = [...new Set(results.map((r) => r.date.slice(0, 10)))].sort();
  const commands = [...new Set(results.map((r) => r.command ?? 'unknown'))];
  return [
    `Measured ${days.join(', ')} on ${machineOf(latest.machine)}, with ${commands.map((c) => `\`${c}\``).join(' and ')}.`,
    '(Each table below carries its own date and command.)',
  ].join(' ');
}

function provenance(result: Result): string {
  return `_${result.date.slice(0, 16).replace('T', ' ')} UTC · ${machineOf(result.machine)} · \`${result.command ?? 'unknown command'}\`_`;
}

function versions(): string {
  const rows = PEERS.map((name) => {
    const file = path.join(benchDir, 'node_modules', name, 'package.json');
    const version = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
      : '—';
    return `| ${name} | ${version} |`;
  });
  return ['| package | version installed |', '| --- | --- |', ...rows].join('\n');
}

function isCachet(name: string): boolean {
  return /^cachet/i.test(name);
}

function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e4) return `${(ns / 1e3).toFixed(1)} µs`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

function speed(result: Result): string {
  const rows = result.rows as SpeedRow[];
  const baseline = (result.options as { baseline?: string } | undefined)?.baseline ?? rows[0]?.name;
  const chart = `${result.slug}.svg`;
  writeFileSync(
    path.join(chartsDir, chart),
    barChart(
      `${result.title}: median time per operation`,
      `shorter is faster; ratio to ${baseline} · ${result.date.slice(0, 10)} · ${machineOf(result.machine)}`,
      rows.map(
        (row): Bar => ({
          label: row.name,
          value: row.ns,
          text: `${formatNs(row.ns)}  (${row.ratio.toFixed(2)}×)`,
          highlight: isCachet(row.name),
        }),
      ),
    ),
  );
  // A paired run (harness.ts, runPaired) has blocks, not rounds: its range is the blocks' middle 80%.
  const paired = (result.options as { blocks?: number } | undefined)?.blocks !== undefined;
  const lines = [
    `| contender | median per op | ${paired ? "blocks' 10th – 90th percentile" : "rounds' range"} | × ${baseline}${paired ? ' (median of paired ratios)' : ''} |`,
    '| --- | ---: | ---: | ---: |',
    ...rows.map((row) => {
      const range = row.min === undefined ? '' : `${formatNs(row.min)} – ${formatNs(row.max!)}`;
      const name = isCachet(row.name) ? `**${row.name}**` : row.name;
      return `| ${name} | ${formatNs(row.ns)} | ${range} | ${row.ratio.toFixed(2)} |`;
    }),
  ];
  return `${lines.join('\n')}\n\n![${result.title}](benchmarks/${chart})`;
}

function stampede(result: Result): string {
  const rows = result.rows as StampedeRow[];
  const options = result.options as { callers: number; loaderMs: number; ttlMs: number };
  const waves = new Map<string, StampedeRow[]>();
  for (const row of rows) {
    const title =
      row.instances > 1
        ? `${row.instances} instances sharing Redis`
        : row.layout === 'memory'
          ? 'in memory'
          : 'L1 memory + L2 Redis';
    waves.set(title, [...(waves.get(title) ?? []), row]);
  }
  const ms = (wave: Wave) => `${wave.p50.toFixed(1)} / ${wave.p99.toFixed(1)}`;
  const parts: string[] = [];
  for (const [title, waveRows] of waves) {
    parts.push(
      `**${title}** (${options.callers} callers, ${options.loaderMs} ms loader, TTL ${options.ttlMs} ms)`,
      '',
      '| contender | loader runs, cold key | p50 / p99 ms | loader runs, at expiry | p50 / p99 ms |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...waveRows.map((row) => {
        const name = isCachet(row.name) ? `**${row.name}**` : row.name;
        const failed = row.cold.failed + row.expiry.failed > 0 ? ' (some callers failed)' : '';
        return `| ${name}${failed} | ${row.cold.runs} | ${ms(row.cold)} | ${row.expiry.runs} | ${ms(row.expiry)} |`;
      }),
      '',
    );
  }
  const shared = rows.filter((row) => row.instances > 1);
  if (shared.length > 0) {
    const instances = shared[0].instances;
    writeFileSync(
      path.join(chartsDir, 'stampede.svg'),
      barChart(
        `Stampede over ${instances} instances sharing Redis: loader runs`,
        `${options.callers} callers on a cold key, then at expiry; fewer is better · ${result.date.slice(0, 10)}`,
        shared.map((row) => ({
          label: row.name,
          value: row.cold.runs + row.expiry.runs,
          text: `${row.cold.runs} cold + ${row.expiry.runs} at expiry`,
          highlight: isCachet(row.name),
        })),
      ),
    );
    parts.push('![Stampede: loader runs over instances sharing Redis](benchmarks/stampede.svg)');
  }
  return parts.join('\n');
}

function hitRatio(result: Result): string {
  const rows = result.rows as EvictionRow[];
  const contenders = result.contenders as string[];
  const peers = contenders.filter((name) => !isCachet(name));
  const lines = [
    `| trace @ capacity | ${contenders.join(' | ')} | LRU (ref) | OPT (ref) |`,
    `| --- |${' ---: |'.repeat(contenders.length + 2)}`,
  ];
  const bars: Bar[] = [];
  for (const row of rows) {
    const best = Math.max(...contenders.map((name) => row.hitRatio[name]));
    const cells = contenders.map((name) => {
      const value = row.hitRatio[name].toFixed(2);
      return row.hitRatio[name] === best ? `**${value}**` : value;
    });
    lines.push(
      `| ${row.trace} @ ${row.capacity} | ${cells.join(' | ')} | ${row.reference.lru.toFixed(2)} | ${row.reference.opt.toFixed(2)} |`,
    );
    const bestPeer = Math.max(...peers.map((name) => row.hitRatio[name]));
    const delta = row.hitRatio['Cachet tinylfu'] - bestPeer;
    bars.push({
      label: `${row.trace} @ ${row.capacity}`,
      value: delta,
      text: `${delta >= 0 ? '+' : ''}${delta.toFixed(2)} pts (${row.hitRatio['Cachet tinylfu'].toFixed(1)}% vs ${bestPeer.toFixed(1)}%)`,
    });
  }
  writeFileSync(
    path.join(chartsDir, `${result.slug}.svg`),
    divergingChart(
      'Cachet tinylfu hit ratio minus the best peer’s, per trace row',
      `peers: ${peers.join(', ')}; right of the axis: tinylfu wins · ${result.date.slice(0, 10)}`,
      bars,
    ),
  );
  return `${lines.join('\n')}\n\n![Hit ratio: tinylfu vs the best peer](benchmarks/${result.slug}.svg)`;
}

function tables(result: Result): string {
  const parts: string[] = [];
  (result.tables as Table[]).forEach((table, i) => {
    parts.push(
      `**${table.heading}**`,
      '',
      `| ${table.header.join(' | ')} |`,
      `|${' --- |'.repeat(table.header.length)}`,
    );
    for (const row of table.rows) parts.push(`| ${row.join(' | ')} |`);
    parts.push('');
    const values = table.rows.map((row) => Number.parseFloat(row[1]));
    if (values.length > 0 && values.every(Number.isFinite)) {
      const chart = `${result.slug}-${i + 1}.svg`;
      writeFileSync(
        path.join(chartsDir, chart),
        barChart(
          table.heading,
          `${table.header[1]}; shorter is better · ${result.date.slice(0, 10)} · ${machineOf(result.machine)}`,
          table.rows.map((row, j) => ({
            label: row[0],
            value: values[j],
            text: `${row[1]}${row[2] ? `  (${row[2]}×)` : ''}`,
            highlight: isCachet(row[0]),
          })),
        ),
      );
      parts.push(`![${table.heading}](benchmarks/${chart})`, '');
    }
  });
  return parts.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
