import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Deadlines } from './deadlines.js';

const never = () => new Promise<never>(() => {});
const timedOut = () => new Error('timed out');

/** Times `promise` with its outcome unchanged: its value, or its reason (or the timeout error) thrown. */
function within<T>(deadlines: Deadlines, promise: Promise<T>, error: () => Error): Promise<T> {
  return deadlines.run(
    promise,
    error,
    (value) => value,
    (reason) => {
      throw reason;
    },
  );
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

  test('outcomes are mapped in the job that settles the call; a late outcome after the timeout is ignored', async () => {
    const deadlines = new Deadlines(100, 10);
    let settle: (value: string) => void = () => {};
    const slow = new Promise<string>((resolve) => {
      settle = resolve;
    });
    const mapped: string[] = [];
    const late = deadlines.run(
      slow,
      timedOut,
      (value) => {
        mapped.push(`value ${value}`);
        return value;
      },
      (reason) => {
        mapped.push(`error ${(reason as Error).message}`);
        return 'fallback';
      },
    );
    await vi.advanceTimersByTimeAsync(120);
    await expect(late).resolves.toBe('fallback');
    settle('too late');
    await vi.advanceTimersByTimeAsync(0);
    expect(mapped).toEqual(['error timed out']);

    // The mapped result settles in the job that handles the reply: its callers run one job later,
    // between the first and the second link of a chain started on the reply after it.
    const order: string[] = [];
    const reply = Promise.resolve('hit');
    const result = deadlines.run(
      reply,
      timedOut,
      (value) => `${value}!`,
      () => 'miss',
    );
    void reply
      .then(() => order.push('1'))
      .then(() => order.push('2'))
      .then(() => order.push('3'));
    void result.then((value) => order.push(value));
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['1', 'hit!', '2', '3']);
    // What a mapping function throws rejects the result.
    await expect(
      deadlines.run(
        Promise.resolve(1),
        timedOut,
        () => {
          throw new Error('bad value');
        },
        () => 0,
      ),
    ).rejects.toThrow('bad value');
  });
});
