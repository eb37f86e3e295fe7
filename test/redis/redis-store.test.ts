import { redisStore } from '@cachet/redis';
import { describeStoreConformance } from '@cachet/testing';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { missing } from '../support/skip.js';

const skip = missing('redis store conformance', 'redis-server', 'redis-cli');

describe.skipIf(skip)('redisStore against a real redis-server', () => {
  let server: RedisServer;
  let stopped = false;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });
  // The errors suite stops the server; bring it back for whatever runs next.
  afterEach(async () => {
    if (stopped) {
      await server.restart();
      stopped = false;
    }
  });

  describeStoreConformance('redisStore', () => redisStore({ url: server.url, connectTimeout: 1000 }), {
    clear: 'namespace',
    expiryResolution: 100,
    timeout: 3000,
    fail: async () => {
      stopped = true;
      await server.stop();
    },
  });
});
