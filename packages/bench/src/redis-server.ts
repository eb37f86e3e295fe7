/**
 * A throwaway redis-server for the suites that need one: bound to 127.0.0.1 on a port picked at run time,
 * with persistence off, stopped by `stop()` (and when this process exits, whatever happens).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A running redis-server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  host: string;
  port: number;
  /** Stops the server and waits for it to exit (at most 2 s). */
  stop(): Promise<void>;
}

/** Starts redis-server on a free loopback port and waits until it answers PING (at most 5 s). */
export async function startRedis(): Promise<RedisServer> {
  const host = '127.0.0.1';
  const port = await freePort(host);
  const args = ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`redis-server could not start (${error.message}); install it to run this benchmark`)),
    );
  });
  const kill = () => child.kill();
  process.once('exit', kill);
  const stop = async () => {
    process.off('exit', kill);
    await stopChild(child);
  };
  try {
    await Promise.race([waitForPong(host, port), failed]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://${host}:${port}`, host, port, stop };
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
    server.once('error', reject);
  });
}

async function waitForPong(host: string, port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const pong = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('error', () => resolve(false));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.connect(port, host, () => socket.write('PING\r\n'));
    });
    if (pong) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('redis-server did not start within 5 s');
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 2000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill();
  });
}
