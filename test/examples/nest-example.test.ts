import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort, run } from '../support/server-process.js';

const examples = fileURLToPath(new URL('../../packages/examples/', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/**
 * The NestJS example of docs/nestjs.md, built with tsc (decorator metadata) and booted as a user
 * would: a type-only import of an injected class passes every type check and only fails when Nest
 * resolves the constructor, so nothing short of booting it shows that it works.
 */
describe('the NestJS example app', () => {
  let app: ChildProcess | undefined;
  let url = '';
  let log = '';

  beforeAll(async () => {
    run(process.execPath, [tsc, '-p', `${examples}src/nest/tsconfig.json`], 60_000);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['dist/nest/main.js'], {
      cwd: examples,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app = child;
    child.stdout?.on('data', (chunk) => (log += chunk));
    child.stderr?.on('data', (chunk) => (log += chunk));
    const deadline = Date.now() + 20_000;
    while (!log.includes('listening on')) {
      if (child.exitCode !== null) throw new Error(`the example exited:\n${log}`);
      if (Date.now() > deadline) throw new Error(`the example did not listen within 20 s:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 90_000);

  afterAll(async () => {
    if (app === undefined || app.exitCode !== null) return;
    const exited = new Promise((resolve) => app?.once('exit', resolve));
    app.kill('SIGTERM');
    await exited;
  });

  test('serves a user from the database once, then from the cache; an update is seen at once', async () => {
    const get = async (path: string) => (await fetch(url + path)).json();
    expect(await get('/users/1')).toEqual({ id: 1, name: 'Ada Lovelace' });
    expect(await get('/users/1')).toEqual({ id: 1, name: 'Ada Lovelace' });
    expect(log.match(/SELECT user 1/g)).toHaveLength(1);
    const put = await fetch(`${url}/users/1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(put.status).toBe(200);
    expect(await get('/users/1')).toEqual({ id: 1, name: 'Ada' });
    const stats = await get('/stats');
    expect(stats).toMatchObject({ misses: 2, memoryHits: 1 });
  });
});
