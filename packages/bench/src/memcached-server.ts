/** A throwaway memcached for the suites that need one (see `local-server.ts`). */
import { type LocalServer, startLocalServer } from './local-server.js';

/** Starts memcached on a free loopback port (no UDP) and waits until it answers `version` (at most 5 s). */
export function startMemcached(): Promise<LocalServer> {
  return startLocalServer({
    command: 'memcached',
    // memcached refuses to run as root unless told which user to be.
    args: (host, port) => [
      '-l',
      host,
      '-p',
      String(port),
      '-U',
      '0',
      ...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []),
    ],
    ping: { send: 'version', expect: 'VERSION' },
  });
}
