import { freePort, startServer } from './server-process.js';

/** A memcached on 127.0.0.1, started by a test. */
export interface Memcached {
  port: number;
  /** `'127.0.0.1:port'`. */
  address: string;
  stop(): Promise<void>;
  /** Kills it at once; see `ServerProcess.crash`. */
  crash(): void;
}

/**
 * Starts `memcached -l 127.0.0.1 -p PORT -U 0` on a free port (`-I 4m` so the 1 MiB conformance value
 * fits; `-u nobody` only when running as root, which memcached otherwise refuses). Given `port`, starts
 * there (to restart a server where its clients expect it).
 */
export async function startMemcached(port?: number): Promise<Memcached> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const chosen = port ?? (await freePort());
    const args = ['-l', '127.0.0.1', '-p', String(chosen), '-U', '0', '-I', '4m', '-m', '64'];
    if (process.getuid?.() === 0) args.push('-u', 'nobody');
    try {
      const server = await startServer('memcached', args, chosen, { send: 'version', expect: 'VERSION' });
      return {
        port: chosen,
        address: `127.0.0.1:${chosen}`,
        stop: () => server.stop(),
        crash: () => server.crash(),
      };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
