import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { delimiter, join } from 'node:path';

/** Every server process this test run started, killed on exit as a last resort. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Whether `name` is an executable on PATH. */
export function hasBinary(name: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** A free TCP port on 127.0.0.1, as chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A started server process. */
export interface ServerProcess {
  port: number;
  child: ChildProcess;
  /** Everything it printed, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after 3 s; resolves when it exited. */
  stop(): Promise<void>;
  /**
   * SIGKILL, then blocks (without running the event loop) until the process is dead, for at most 5 s.
   * Its connections are closed by then, but no socket in this process has read the close yet: the
   * next request a client writes goes to a dead server, as when a server dies under a busy process.
   */
  crash(): void;
}

/**
 * Spawns `command args` and waits until `probe` (a line sent over TCP to 127.0.0.1:port) is answered
 * with a reply starting with `expect`, for at most `timeoutMs`.
 */
export async function startServer(
  command: string,
  args: string[],
  port: number,
  probe: { send: string; expect: string },
  timeoutMs = 10_000,
): Promise<ServerProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let log = '';
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      running.delete(child);
      resolve();
    }),
  );
  const server: ServerProcess = {
    port,
    child,
    output: () => log,
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(timer);
    },
    crash: () => {
      child.kill('SIGKILL');
      const until = Date.now() + 5000;
      while (Date.now() < until && isAlive(child.pid)) Atomics.wait(pause, 0, 0, 5);
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${command} exited before it was ready:\n${log}`);
    if ((await ask(port, probe.send, 500)).startsWith(probe.expect)) return server;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await server.stop();
  throw new Error(`${command} on port ${port} not ready within ${timeoutMs} ms:\n${log}`);
}

/** A buffer to sleep on with `Atomics.wait`. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Whether process `pid` still runs: Linux's `/proc/PID/stat` exists and its state is not zombie. */
function isAlive(pid: number | undefined): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Sends `line` to 127.0.0.1:port and resolves the first reply ('' on any failure or after `ms`). */
export function ask(port: number, line: string, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    const done = () => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(ms, done);
    socket.on('error', done);
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\n')) done();
    });
    socket.connect(port, '127.0.0.1', () => socket.write(`${line}\r\n`));
  });
}

/** Runs a command to completion (bounded by `timeoutMs`); throws with its output if it fails. */
export function run(command: string, args: string[], timeoutMs = 30_000): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}
