import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cacheWorker = fileURLToPath(new URL('../fixtures/cache-worker.mjs', import.meta.url));

/** Options of a cache worker process. */
export interface WorkerOptions {
  url: string;
  channel: string;
  namespace: string;
  lock?: boolean;
  /** Whether the cache has a RedisBus; default true. */
  bus?: boolean;
}

/** A `node` child process running test/fixtures/cache-worker.mjs, driven by request/response over IPC. */
export class CacheWorker {
  readonly child: ChildProcess;
  #next = 1;
  #pending = new Map<number, { resolve(value: any): void; reject(error: Error): void }>();
  #ready: Promise<void>;

  /** Starts `script` (default: test/fixtures/cache-worker.mjs) with `options` as its argument. */
  constructor(options: WorkerOptions | Record<string, unknown>, script = cacheWorker) {
    this.child = spawn(process.execPath, [script, JSON.stringify(options)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#ready = new Promise((resolve, reject) => {
      this.#pending.set(0, { resolve: () => resolve(), reject });
    });
    this.child.on('message', (message: { id: number; ok: boolean; error?: string }) => {
      const pending = this.#pending.get(message.id);
      if (pending === undefined) return;
      this.#pending.delete(message.id);
      if (message.ok) pending.resolve(message);
      else pending.reject(new Error(message.error));
    });
    this.child.on('exit', (code) => {
      for (const pending of this.#pending.values()) pending.reject(new Error(`worker exited with ${code}`));
      this.#pending.clear();
    });
  }

  /** Resolves when the worker's cache is constructed. */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Sends a request and resolves its reply (rejects after `ms`). */
  call<T = any>(type: string, args: Record<string, unknown> = {}, ms = 20_000): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`worker ${type} timed out after ${ms} ms`));
      }, ms);
      this.#pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, type, ...args });
    });
  }

  /** Asks the worker to disconnect and exit; kills it if it does not within 3 s. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.call('close', {}, 3000).catch(() => this.child.kill('SIGKILL'));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}
