import { describe, expect, test } from 'vitest';
import { expirySeconds } from './memcache-store-adapter.js';
import { safeKey } from './safe-key.js';

describe('safeKey', () => {
  test('keeps keys Memcached accepts, unicode included', () => {
    expect(safeKey('user:42')).toBe('user:42');
    expect(safeKey('ключ')).toBe('ключ');
    expect(safeKey('k'.repeat(250))).toBe('k'.repeat(250));
  });

  test('hashes long keys by bytes, not characters, and never truncates', () => {
    expect(safeKey('k'.repeat(251))).toMatch(/^#h:/);
    expect(safeKey('é'.repeat(126))).toMatch(/^#h:/); // 252 bytes in 126 characters
    expect(safeKey(`${'k'.repeat(300)}a`)).not.toBe(safeKey(`${'k'.repeat(300)}b`));
  });

  test('hashes whitespace and control characters, and keys that look hashed', () => {
    for (const key of ['a b', 'a\tb', 'a\nb', 'a\u0000b', 'a\u007fb', '#h:abc']) {
      expect(safeKey(key)).toMatch(/^#h:[A-Za-z0-9_-]{43}$/);
    }
    expect(safeKey('a b')).not.toBe(safeKey('a_b'));
    expect(safeKey(safeKey('a b'))).not.toBe(safeKey('a b'));
  });
});

describe('expirySeconds', () => {
  test('rounds up, so under a second never becomes 0 ("never expires")', () => {
    expect(expirySeconds(undefined)).toBe(0);
    expect(expirySeconds(0)).toBe(0);
    expect(expirySeconds(1)).toBe(1);
    expect(expirySeconds(999)).toBe(1);
    expect(expirySeconds(1001)).toBe(2);
  });

  test('sends TTLs over 30 days as absolute Unix time', () => {
    const days40 = 40 * 86_400_000;
    const expected = Math.ceil((Date.now() + days40) / 1000);
    expect(Math.abs(expirySeconds(days40) - expected)).toBeLessThanOrEqual(1);
  });
});
