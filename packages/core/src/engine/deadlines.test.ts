import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Deadlines } from './deadlines.js';

const never = () => new Promise<never>(() => {});
const timedOut = () => new Error('timed out');

/** Times `promise` as the store layer does: start, await, finish. */
async function within<T>(deadlines: Deadlines, promise: Promise<T>, error: () => Error): Promise<T> {
  const timed = deadlines.start(promise, error);
  try {
    return await timed.promise;
  } finally {
    deadlines.finish(timed);
  }
}

describe('Deadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('a call that never settles is rejected no sooner than the limit and at most one period later', async () => {
    const deadlines = new Deadlines(100, 10);
    // Start between two sweeps, the worst case for a sweep-counting deadline.
    const other = within(deadlines, never(), timedOut);
    other.catch(() => {});
    await vi.advanceTimersByTimeAsync(7);
    let rejectedAt = -1;
    within(deadlines, never(), timedOut).catch(() => {
      rejectedAt = Date.now();
    });
    const started = Date.now();
    await vi.advanceTimersByTimeAsync(99);
    expect(rejectedAt).toBe(-1);
    await vi.advanceTimersByTimeAsync(20);
    expect(rejectedAt - started).toBeGreaterThanOrEqual(100);
    expect(rejectedAt - started).toBeLessThanOrEqual(110);
  });

  test('settled calls keep their value or reason; the interval stops once nothing waits', async () => {
    const deadlines = new Deadlines(100, 10);
    await expect(within(deadlines, Promise.resolve('value'), timedOut)).resolves.toBe('value');
    await expect(within(deadlines, Promise.reject(new Error('store down')), timedOut)).rejects.toThrow(
      'store down',
    );
    await vi.advanceTimersByTimeAsync(20);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a stuck call ahead of many settled ones times out alone; the ones behind it are unaffected', async () => {
    const deadlines = new Deadlines(100, 10);
    const stuck = within(deadlines, never(), timedOut);
    const outcome = stuck.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    const quick = Array.from({ length: 3000 }, (_, i) => within(deadlines, Promise.resolve(i), timedOut));
    expect(await Promise.all(quick)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    // Started behind the stuck call, settled in time: it keeps its value.
    const inTime = within(
      deadlines,
      new Promise((resolve) => setTimeout(() => resolve('in time'), 60)),
      timedOut,
    );
    await vi.advanceTimersByTimeAsync(120);
    expect(await outcome).toBe('timed out');
    await expect(inTime).resolves.toBe('in time');
    await vi.advanceTimersByTimeAsync(20);
    expect(vi.getTimerCount()).toBe(0);
  });
});
