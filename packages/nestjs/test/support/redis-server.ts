import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** Whether `redis-server` and `redis-cli` are on PATH; prints why not once, so a skip is visible. */
export function hasRedis(): boolean {
  const ok = ['redis-server', 'redis-cli'].every(
    (binary) => spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0,
  );
  if (!ok) {
    console.warn(
      '[cachet/nestjs] skipping the Redis suite: redis-server not found (apt-get install redis-server)',
    );
  }
  return ok;
}

/** A free TCP port on 127.0.0.1, as the OS picks it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** A throwaway redis-server on a free loopback port. */
export interface RedisServer {
  url: string;
  /** `redis-cli -p <port> ...args`, trimmed. */
  cli(...args: string[]): string;
  stop(): Promise<void>;
}

/** Starts `redis-server` without persistence on a free loopback port and waits for PONG. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const cli = (...args: string[]) =>
    spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();
  const deadline = Date.now() + 10_000;
  while (cli('PING') !== 'PONG') {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    cli,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
