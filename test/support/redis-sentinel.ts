import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnRedis } from './redis-server.js';
import { freePort, run, type ServerProcess, startServer } from './server-process.js';

/** A Sentinel-managed Redis on 127.0.0.1 (one master, one replica, one sentinel), started by a test. */
export interface RedisSentinelTopology {
  /** The master group name the sentinel monitors. */
  name: string;
  /** The sentinel, as node-redis's `sentinelRootNodes` want it. */
  sentinels: Array<{ host: string; port: number }>;
  /** Ports of the two data nodes (the first started as master). */
  ports: number[];
  /** The port the sentinel currently reports as master. */
  masterPort(): number;
  /** Runs `redis-cli -p port ...args` against one of the nodes (or the sentinel) and returns its output. */
  cli(port: number, ...args: string[]): string;
  /** Resolves once a replica is in sync and the sentinel lists it (after a failover that takes ~10 s). */
  waitForReplica(): Promise<void>;
  /**
   * Waits for a replica ({@link waitForReplica}), asks the sentinel for a failover (`SENTINEL FAILOVER name`, or SIGKILL of the master with `kill`)
   * and resolves, with the new master's port, once the sentinel reports it and it answers `role:master`.
   */
  failover(options?: { kill?: boolean; timeoutMs?: number }): Promise<number>;
  /** Stops every process and removes the temp dir. */
  stop(): Promise<void>;
}

/** How long the sentinel waits before it calls the master down, in ms. */
const DOWN_AFTER = 500;
/** The sentinel's failover timeout, in ms (also how long it waits between two failovers). */
const FAILOVER_TIMEOUT = 3000;

/**
 * Starts, on free loopback ports, a master `redis-server`, a replica (`--replicaof` the master) and a
 * `redis-server <conf> --sentinel` monitoring them with quorum 1, `down-after-milliseconds` 500 and
 * `failover-timeout` 3000, and waits until the replica is in sync and the sentinel lists it.
 */
export async function startRedisSentinel(name = 'cachet'): Promise<RedisSentinelTopology> {
  const dir = mkdtempSync(join(tmpdir(), 'cachet-sentinel-'));
  const nodes = new Map<number, ServerProcess>();
  let sentinel: ServerProcess | undefined;
  const stop = async () => {
    await Promise.all([...nodes.values(), sentinel].map((node) => node?.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const masterPort = await freePort();
    // No 5 s pause before a full sync (Redis 7 defaults to diskless sync with a delay).
    const args = ['--dir', dir, '--repl-diskless-sync-delay', '0'];
    nodes.set(masterPort, await spawnRedis(masterPort, args));
    const replicaPort = await freePort();
    nodes.set(
      replicaPort,
      await spawnRedis(replicaPort, [...args, '--replicaof', '127.0.0.1', String(masterPort)]),
    );
    const sentinelPort = await freePort();
    const conf = join(dir, 'sentinel.conf');
    // The sentinel rewrites its config file as it learns the topology, so it lives in the temp dir.
    writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        'sentinel resolve-hostnames no',
        `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${name} ${DOWN_AFTER}`,
        `sentinel failover-timeout ${name} ${FAILOVER_TIMEOUT}`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    sentinel = await startServer('redis-server', [conf, '--sentinel'], sentinelPort, {
      send: 'PING',
      expect: '+PONG',
    });
    const cli = (port: number, ...args: string[]) => run('redis-cli', ['-p', String(port), ...args], 5000);
    const masterOf = () =>
      Number(cli(sentinelPort, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name).split('\n')[1]);
    // A failover needs a replica that is in sync and that the sentinel lists as healthy.
    const replicaReady = () =>
      until(
        () => {
          const master = masterOf();
          const replica = [masterPort, replicaPort].find((port) => port !== master) ?? replicaPort;
          const replicas = cli(sentinelPort, 'SENTINEL', 'REPLICAS', name);
          return (
            cli(replica, 'INFO', 'replication').includes('master_link_status:up') &&
            replicas.includes(`\nport\n${replica}\n`) &&
            /\nflags\nslave\n/.test(replicas)
          );
        },
        20_000,
        'the sentinel to list a replica in sync',
      );
    await replicaReady();
    return {
      name,
      sentinels: [{ host: '127.0.0.1', port: sentinelPort }],
      ports: [masterPort, replicaPort],
      masterPort: masterOf,
      cli,
      failover: async ({ kill = false, timeoutMs = 15_000 } = {}) => {
        await replicaReady();
        const old = masterOf();
        if (kill) {
          const process = nodes.get(old);
          process?.child.kill('SIGKILL');
          await process?.stop();
        } else {
          cli(sentinelPort, 'SENTINEL', 'FAILOVER', name);
        }
        let current = old;
        await until(
          () => {
            current = masterOf();
            return current !== old && cli(current, 'ROLE').startsWith('master');
          },
          timeoutMs,
          `the sentinel to report a new master instead of ${old}`,
        );
        // The sentinel makes a surviving old master a replica only some 10 s later (it waits for the
        // dust to settle); do it now, so that the next failover can start at once.
        if (!kill) cli(old, 'REPLICAOF', '127.0.0.1', String(current));
        return current;
      },
      waitForReplica: replicaReady,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls `check` every 50 ms (errors count as false) until it is true; throws after `ms`. */
async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
