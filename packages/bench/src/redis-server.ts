/** A throwaway redis-server for the suites that need one, with persistence off (see `local-server.ts`). */
import { type LocalServer, startLocalServer } from './local-server.js';

/** A running redis-server. */
export interface RedisServer extends LocalServer {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
}

/** Starts redis-server on a free loopback port and waits until it answers PING (at most 5 s). */
export async function startRedis(): Promise<RedisServer> {
  const server = await startLocalServer({
    command: 'redis-server',
    args: (host, port) => ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no'],
    ping: { send: 'PING', expect: '+PONG' },
  });
  return { ...server, url: `redis://${server.host}:${server.port}` };
}
