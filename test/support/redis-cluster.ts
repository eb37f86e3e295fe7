import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnRedis } from './redis-server.js';
import { ask, freePort, run, type ServerProcess } from './server-process.js';

/** A 3-master Redis Cluster on 127.0.0.1, started by a test. */
export interface RedisCluster {
  ports: number[];
  rootNodes: Array<{ url: string }>;
  stop(): Promise<void>;
}

/**
 * Starts three `redis-server --cluster-enabled yes` nodes on free loopback ports, joins them with
 * `redis-cli --cluster create ... --cluster-replicas 0 --cluster-yes`, and waits for `cluster_state:ok`.
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'cachet-cluster-'));
  const nodes: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      nodes.push(
        await spawnRedis(port, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '5000',
          '--dir',
          dir,
        ]),
      );
    }
    const ports = nodes.map((node) => node.port);
    run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = await Promise.all(ports.map((port) => ask(port, 'CLUSTER INFO', 500)));
      if (states.every((state) => state.includes('cluster_state:ok'))) break;
      if (Date.now() > deadline) throw new Error(`cluster not ok within 20 s:\n${states.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { ports, rootNodes: ports.map((port) => ({ url: `redis://127.0.0.1:${port}` })), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
