import { describe, expect, test } from 'vitest';
import { Cache } from './cache.js';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  test.each([
    [250, 250],
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    [' 2m ', 120_000],
  ])('%j is %d ms', (input, ms) => {
    expect(parseDuration(input as never, 'ttl')).toBe(ms);
  });

  test.each(['5 minutes', 'soon', '', '10', '5m junk', '-1s'])(
    '%j is a TypeError naming the option',
    (input) => {
      expect(() => parseDuration(input as never, 'ttl')).toThrow(TypeError);
      expect(() => parseDuration(input as never, 'ttl')).toThrow(/^ttl: .*'5m'/);
    },
  );

  test('negative and NaN numbers are rejected', () => {
    expect(() => parseDuration(-1, 'grace')).toThrow(/grace must be a non-negative number/);
    expect(() => parseDuration(Number.NaN, 'grace')).toThrow(TypeError);
  });

  test('a bad TTL in Cache options fails at construction, naming the option', () => {
    expect(() => new Cache({ ttl: '5 minutes' as never })).toThrow(/ttl: cannot read "5 minutes"/);
    expect(() => new Cache({ timeout: { hard: 'x' as never } })).toThrow(/timeout\.hard/);
  });

  test('a bad TTL in one call rejects that call with the option named', async () => {
    const cache = new Cache();
    await expect(cache.getOrSet('k', () => 1, { ttl: '1 hour' as never })).rejects.toThrow(
      /ttl: cannot read/,
    );
  });
});
