/**
 * `pnpm bench`: every suite, one after the other, then the docs' tables and charts from their results.
 * `pnpm bench --quick` runs each briefly to check that the suites still work (CI): it asserts nothing
 * about speed and writes no results.
 *
 * The memory-store suite (memory.ts) runs on import and starts its own processes, so it runs here as a
 * child process; its printed tables are kept as its results. It starts one process per cache, capacity
 * and round (about 4 s each on a 2-core machine), so here it runs `MEMORY_ROUNDS` rounds (default 3)
 * to keep the whole run under 10 minutes; run it alone for its own default of 5.
 *
 * `tsx src/run.ts --only=memory` runs the suites whose name contains `memory`, keeps the other
 * suites' results, and re-renders the docs (with `MEMORY_ROUNDS=5` for the memory suite's 5 rounds).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main as decoratedHit } from './decorated-hit.js';
import { main as eviction } from './eviction.js';
import { quick, saveResult } from './harness.js';
import { main as memcacheHit } from './memcache.js';
import { main as redisHit } from './redis.js';
import { main as report } from './report.js';
import { main as stampede } from './stampede.js';
import { main as twoTier } from './two-tier.js';

// With --only, the tables name the command that made them, not a full run.
const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
process.env.BENCH_COMMAND ??=
  onlyArg === undefined
    ? `pnpm bench${quick ? ' --quick' : ''}`
    : `pnpm --filter bench exec tsx src/run.ts ${JSON.stringify(onlyArg)}${quick ? ' --quick' : ''}`;

/** Runs memory.ts in a child process, echoing its output; returns what it printed. */
function memoryStoreOps(): Promise<string> {
  const script = fileURLToPath(new URL('./memory.ts', import.meta.url));
  const rounds = `--rounds=${process.env.MEMORY_ROUNDS ?? 3}`;
  const args = [...process.execArgv, script, ...(quick ? ['--quick'] : [rounds])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`memory.ts exited with ${code}`)),
    );
  });
}

/** The Markdown tables of a suite's output, each with the line above it as its heading. */
export function parseTables(text: string): { heading: string; header: string[]; rows: string[][] }[] {
  const tables: { heading: string; header: string[]; rows: string[][] }[] = [];
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim());
  let heading = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line.startsWith('|')) {
      if (line !== '') heading = line.replace(/^#+\s*/, '');
      continue;
    }
    const header = cells(line);
    const rows: string[][] = [];
    for (i += 2; i < lines.length && lines[i].trim().startsWith('|'); i++) rows.push(cells(lines[i]));
    i--;
    tables.push({ heading, header, rows });
  }
  return tables;
}

const started = performance.now();
const suites: [string, () => Promise<unknown>][] = [
  ['decorated memory hit', decoratedHit],
  ['two-tier and L2-only hits', twoTier],
  ['Redis hit vs bare GET', redisHit],
  ['Memcached hit vs bare get', memcacheHit],
  ['stampede', stampede],
  ['eviction hit ratio', eviction],
  [
    'memory store ops',
    async () => {
      const output = await memoryStoreOps();
      saveResult('memory-store-ops', {
        title: 'Memory store ops',
        kind: 'tables',
        tables: parseTables(output),
      });
    },
  ],
];
// `--only=<part of a suite's name>` runs the matching suites alone (the others' results are kept).
const only = onlyArg?.slice(7);
const chosen = suites.filter(([name]) => only === undefined || name.includes(only));
if (chosen.length === 0)
  throw new Error(`--only=${only} matches no suite: ${suites.map(([n]) => n).join(', ')}`);
for (const [name, suite] of chosen) {
  const start = performance.now();
  await suite();
  console.log(`\n(${name}: ${((performance.now() - start) / 1000).toFixed(1)} s)`);
}
if (!quick) await report();
console.log(`\nAll suites in ${((performance.now() - started) / 60_000).toFixed(1)} min.`);
