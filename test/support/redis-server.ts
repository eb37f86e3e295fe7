import { freePort, run, type ServerProcess, startServer } from './server-process.js';

/** A redis-server on 127.0.0.1, started by a test. */
export interface RedisServer {
  port: number;
  url: string;
  /** Runs `redis-cli -p port ...args` and returns its output. */
  cli(...args: string[]): string;
  /** Stops the server (it can be started again on the same port with `restart`). */
  stop(): Promise<void>;
  /** Kills the server with SIGKILL, as a crash would; resolves when it is gone. */
  kill(): Promise<void>;
  /** Kills it at once and does not let the event loop run meanwhile; see `ServerProcess.crash`. */
  crash(): void;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

/** Arguments of a throwaway, persistence-free redis-server on 127.0.0.1:port. */
export function redisArgs(port: number, extra: string[] = []): string[] {
  return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra];
}

/** Starts redis-server with `extra` arguments on 127.0.0.1:port and waits for PONG. */
export function spawnRedis(port: number, extra: string[] = []): Promise<ServerProcess> {
  return startServer('redis-server', redisArgs(port, extra), port, { send: 'PING', expect: '+PONG' });
}

/** Starts a redis-server on a free loopback port (retrying if the port was taken meanwhile). */
export async function startRedis(extra: string[] = []): Promise<RedisServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      let process = await spawnRedis(port, extra);
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        cli: (...args) => run('redis-cli', ['-p', String(port), ...args]),
        stop: () => process.stop(),
        kill: async () => {
          const exited = new Promise<void>((resolve) => {
            if (process.child.exitCode !== null || process.child.signalCode !== null) resolve();
            else process.child.once('exit', () => resolve());
          });
          process.child.kill('SIGKILL');
          await exited;
        },
        crash: () => process.crash(),
        restart: async () => {
          await process.stop();
          process = await spawnRedis(port, extra);
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
