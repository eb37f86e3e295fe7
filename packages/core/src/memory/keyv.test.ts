import Keyv5 from 'keyv';
import Keyv6 from 'keyv6';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from './memory-store.js';

/**
 * MemoryStore is Map-like, so both Keyv majors accept it as is. It does not declare
 * `capabilities.expires`: Keyv 6 then wraps it in its own KeyvMemoryAdapter, which hands the store a
 * relative TTL (derived from the absolute `expires`) and re-checks `expires` itself on reads.
 */
describe.each([
  ['keyv 5', Keyv5],
  ['keyv 6', Keyv6],
] as const)('as a %s store', (_name, Keyv) => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_700_000_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('round-trips values, with TTL, delete and clear', async () => {
    const store = new MemoryStore();
    const keyv = new (Keyv as typeof Keyv5)({ store: store as never });
    keyv.on('error', () => {});
    expect(await keyv.set('user:1', { name: 'Ada' })).toBe(true);
    expect(await keyv.get('user:1')).toEqual({ name: 'Ada' });
    expect(await keyv.has('user:1')).toBe(true);
    await keyv.set('short', 'soon gone', 1000);
    expect(await keyv.get('short')).toBe('soon gone');
    expect(store.size).toBe(2);
    vi.setSystemTime(Date.now() + 1001);
    expect(await keyv.get('short')).toBeUndefined();
    expect(await keyv.has('short')).toBe(false);
    expect(await keyv.delete('user:1')).toBe(true);
    expect(await keyv.get('user:1')).toBeUndefined();
    await keyv.set('a', 1);
    await keyv.clear();
    expect(await keyv.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('lets the store expire entries itself (the TTL reaches the store)', async () => {
    const store = new MemoryStore();
    const keyv = new (Keyv as typeof Keyv5)({ store: store as never });
    keyv.on('error', () => {});
    await keyv.set('k', 'v', 500);
    vi.setSystemTime(Date.now() + 501);
    expect([...store.keys()]).toEqual([]);
  });
});
