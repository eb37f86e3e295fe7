import type { BusMessage } from '@cachet/core';
import { RedisBus } from '@cachet/redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RedisServer, spawnRedis, startRedis } from '../support/redis-server.js';
import { freePort } from '../support/server-process.js';
import { missing } from '../support/skip.js';
import { waitFor } from '../support/wait-for.js';

const skip = missing('RedisBus', 'redis-server', 'redis-cli');

/** A bus subscribed on `channel`, with everything it received. */
async function listen(url: string, channel: string) {
  const received: BusMessage[] = [];
  const errors: Error[] = [];
  let reconnects = 0;
  const bus = new RedisBus({ url, channel, connectTimeout: 1000, onError: (error) => errors.push(error) });
  bus.onReconnect(() => reconnects++);
  await bus.subscribe((message) => received.push(message));
  return { bus, received, errors, reconnects: () => reconnects };
}

describe.skipIf(skip)('RedisBus against a real redis-server', () => {
  let server: RedisServer;
  let n = 0;
  const channel = () => `cachet:bus:test:${++n}`;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('two buses see each other’s messages, of every kind, in order', async () => {
    const ch = channel();
    const a = await listen(server.url, ch);
    const b = await listen(server.url, ch);
    const messages: BusMessage[] = [
      { kind: 'delete', origin: 'a', keys: ['user:1', 'user:2'], namespace: 'users' },
      { kind: 'tags', origin: 'a', tags: ['team:7'], at: Date.now(), namespace: '' },
      { kind: 'clear', origin: 'b', namespace: 'Users.get' },
    ];
    await a.bus.publish(messages[0]);
    await a.bus.publish(messages[1]);
    await b.bus.publish(messages[2]);
    await waitFor(
      () => a.received.length === 3 && b.received.length === 3,
      2000,
      'all messages on both buses',
    );
    expect(b.received).toEqual(messages);
    expect(a.received).toEqual(messages);
    await Promise.all([a.bus.disconnect(), b.bus.disconnect()]);
  });

  test('a bus on another channel hears nothing; junk on the channel is reported, not delivered', async () => {
    const ch = channel();
    const a = await listen(server.url, ch);
    const other = await listen(server.url, channel());
    server.cli('PUBLISH', ch, 'not json');
    server.cli('PUBLISH', ch, JSON.stringify({ kind: 'values', origin: 'x', value: 1 }));
    server.cli('PUBLISH', ch, JSON.stringify({ kind: 'delete', origin: 'x', keys: ['k'], namespace: 7 }));
    // Without a namespace (an older Cachet's message): still delivered.
    await a.bus.publish({ kind: 'delete', origin: 'a', keys: ['k'] });
    await waitFor(() => a.received.length === 1, 2000, 'the valid message');
    expect(a.errors.map((error) => (error as { code?: string }).code)).toEqual([
      'E_REDIS_BUS_MESSAGE',
      'E_REDIS_BUS_MESSAGE',
      'E_REDIS_BUS_MESSAGE',
    ]);
    expect(other.received).toEqual([]);
    await Promise.all([a.bus.disconnect(), other.bus.disconnect()]);
  });

  test('after CLIENT KILL TYPE pubsub the reconnect handler fires and messages flow again', async () => {
    const ch = channel();
    const a = await listen(server.url, ch);
    const b = await listen(server.url, ch);
    server.cli('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await waitFor(() => a.reconnects() === 1 && b.reconnects() === 1, 5000, 'both reconnect handlers');
    await a.bus.publish({ kind: 'delete', origin: 'a', keys: ['after-kill'] });
    await waitFor(() => b.received.length === 1, 2000, 'a message after the reconnect');
    await Promise.all([a.bus.disconnect(), b.bus.disconnect()]);
  });

  test('after a server restart the reconnect handler fires; publishing meanwhile fails fast', async () => {
    const ch = channel();
    const a = await listen(server.url, ch);
    const b = await listen(server.url, ch);
    await server.stop();
    const started = performance.now();
    await expect(a.bus.publish({ kind: 'delete', origin: 'a', keys: ['lost'] })).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(500);
    await server.restart();
    await waitFor(() => a.reconnects() >= 1 && b.reconnects() >= 1, 10_000, 'both reconnect handlers');
    // The publisher reconnects on its own backoff (at most 2 s); until then publishes fail fast.
    const until = Date.now() + 5000;
    for (;;) {
      try {
        await a.bus.publish({ kind: 'delete', origin: 'a', keys: ['after-restart'] });
        break;
      } catch (error) {
        if (Date.now() > until) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await waitFor(() => b.received.length === 1, 2000, 'a message after the restart');
    expect(b.received[0]).toMatchObject({ keys: ['after-restart'] });
    await Promise.all([a.bus.disconnect(), b.bus.disconnect()]);
  });

  test('subscribe gives up after connectTimeout when Redis is down, then subscribes when it comes up', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const received: BusMessage[] = [];
    let reconnects = 0;
    const bus = new RedisBus({ url, channel: 'late', connectTimeout: 300 });
    bus.onReconnect(() => reconnects++);
    await expect(bus.subscribe((message) => received.push(message))).rejects.toMatchObject({
      code: 'E_REDIS_CONNECT',
    });
    const late = await spawnRedis(port);
    try {
      await waitFor(() => reconnects === 1, 10_000, 'the late subscription');
      const publisher = new RedisBus({ url, channel: 'late' });
      await publisher.publish({ kind: 'clear', origin: 'p', namespace: 'ns' });
      await waitFor(() => received.length === 1, 2000, 'a message on the late subscription');
      await publisher.disconnect();
    } finally {
      await bus.disconnect();
      await late.stop();
    }
  });
});
