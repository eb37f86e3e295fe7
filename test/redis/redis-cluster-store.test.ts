import { redisClusterStore } from '@cachet/redis';
import { describeStoreConformance } from '@cachet/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { type RedisCluster, startRedisCluster } from '../support/redis-cluster.js';
import { missing } from '../support/skip.js';

const skip = missing('redis cluster store conformance', 'redis-server', 'redis-cli');

describe.skipIf(skip)('redisClusterStore against a real 3-master cluster', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  describeStoreConformance('redisClusterStore', () => redisClusterStore({ rootNodes: cluster.rootNodes }), {
    clear: 'namespace',
  });
});
