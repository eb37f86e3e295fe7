import { memcacheStore } from '@cachet/memcache';
import { describeStoreConformance } from '@cachet/testing';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { type Memcached, startMemcached } from '../support/memcached.js';
import { missing } from '../support/skip.js';

const skip = missing('memcached store conformance', 'memcached');

describe.skipIf(skip)('memcacheStore against two real memcached servers', () => {
  let servers: Memcached[] = [];
  let stopped = false;
  beforeAll(async () => {
    servers = await Promise.all([startMemcached(), startMemcached()]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });
  afterEach(async () => {
    if (stopped) {
      await Promise.all(servers.map((server) => server.stop()));
      servers = await Promise.all([startMemcached(), startMemcached()]);
      stopped = false;
    }
  });

  describeStoreConformance('memcacheStore (2 nodes)', () => memcacheStore(servers.map((s) => s.address)), {
    clear: 'unsupported',
    // Memcached counts expiry in whole seconds on a once-a-second clock.
    expiryResolution: 2000,
    timeout: 3000,
    fail: async () => {
      stopped = true;
      // Killed at once, so that the calls are written to connections whose server is already dead.
      for (const server of servers) server.crash();
    },
  });
});
