import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/app.js';
import { hasRedis, type RedisServer, startRedis } from '../support/redis-server.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const built = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/**
 * `app.enableShutdownHooks()` then SIGTERM, in a process of its own running the built package: the
 * cache closes its store and bus before the process exits. `nestFrom` (a package.json URL) makes
 * that process load the Nest of that package.
 */
export function describeShutdownHooks(major: number, options: { nestFrom?: string } = {}): void {
  describe.skipIf(!hasRedis())('enableShutdownHooks (a process of its own, real redis-server)', () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(() => redis?.stop());

    it('closes the store and the bus on SIGTERM', async () => {
      expect(existsSync(built), 'build @cachet/nestjs first: pnpm --filter @cachet/nestjs build').toBe(true);
      const args = options.nestFrom
        ? ['--import', fixture('nest-from.mjs'), fixture('shutdown-app.mjs')]
        : [fixture('shutdown-app.mjs')];
      const child = spawn(process.execPath, args, {
        env: { ...process.env, REDIS_URL: redis.url, NEST_FROM: options.nestFrom ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
        child.once('exit', (code, signal) => resolve(signal ?? code)),
      );
      try {
        await until(() => output.includes('ready') || child.exitCode !== null, 15_000);
        expect(output).toMatch(new RegExp(`^ready ${major}\\.`));
        const connections = () => redis.cli('CLIENT', 'LIST').split('\n').length - 1;
        expect(connections()).toBeGreaterThanOrEqual(2); // the store's, and the bus's
        child.kill('SIGTERM');
        expect(await exited).toBe('SIGTERM');
        expect(output.split('\n').slice(1).sort()).toEqual(['', 'bus closed', 'store closed']);
        expect(connections()).toBe(0);
      } finally {
        child.kill('SIGKILL');
      }
    });
  });
}
