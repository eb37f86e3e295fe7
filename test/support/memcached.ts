import { freePort, startServer } from './server-process.js';

/** A memcached on 127.0.0.1, started by a test. */
export interface Memcached {
  port: number;
  /** `'127.0.0.1:port'`. */
  address: string;
  stop(): Promise<void>;
}

/**
 * Starts `memcached -l 127.0.0.1 -p PORT -U 0` on a free port (`-I 4m` so the 1 MiB conformance value
 * fits; `-u nobody` only when running as root, which memcached otherwise refuses).
 */
export async function startMemcached(): Promise<Memcached> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const args = ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-I', '4m', '-m', '64'];
    if (process.getuid?.() === 0) args.push('-u', 'nobody');
    try {
      const server = await startServer('memcached', args, port, { send: 'version', expect: 'VERSION' });
      return { port, address: `127.0.0.1:${port}`, stop: () => server.stop() };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
