/**
 * Throwaway servers for the suites that need one (redis-server, memcached): bound to 127.0.0.1 on a
 * port picked at run time, stopped by `stop()` (and when this process exits, whatever happens).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A running server. */
export interface LocalServer {
  host: string;
  port: number;
  /** Stops the server and waits for it to exit (at most 2 s). */
  stop(): Promise<void>;
}

/** How to start one kind of server and tell that it answers. */
export interface ServerKind {
  /** The executable, e.g. `'redis-server'`. */
  command: string;
  /** Its arguments for `host` and `port`. */
  args(host: string, port: number): string[];
  /** A line to send once connected, and how the answer starts when the server is up. */
  ping: { send: string; expect: string };
}

/** Starts `kind` on a free loopback port and waits until it answers its ping (at most 5 s). */
export async function startLocalServer(kind: ServerKind): Promise<LocalServer> {
  const host = '127.0.0.1';
  const port = await freePort(host);
  const child = spawn(kind.command, kind.args(host, port), { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(`${kind.command} could not start (${error.message}); install it to run this benchmark`),
      ),
    );
  });
  const kill = () => child.kill();
  process.once('exit', kill);
  const stop = async () => {
    process.off('exit', kill);
    await stopChild(child);
  };
  try {
    await Promise.race([waitForAnswer(kind, host, port), failed]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, port, stop };
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

async function waitForAnswer(kind: ServerKind, host: string, port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('error', () => resolve(false));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith(kind.ping.expect));
      });
      socket.connect(port, host, () => socket.write(`${kind.ping.send}\r\n`));
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${kind.command} did not start within 5 s`);
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
