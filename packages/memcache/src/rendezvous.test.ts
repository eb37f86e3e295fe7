import { describe, expect, test } from 'vitest';
import { rendezvous } from './rendezvous.js';

const keys = Array.from({ length: 6000 }, (_, i) => `user:${i}`);

describe('rendezvous', () => {
  test('spreads keys evenly', () => {
    const pick = rendezvous(['a:11211', 'b:11211', 'c:11211']);
    const counts = [0, 0, 0];
    for (const key of keys) counts[pick(key)]++;
    for (const count of counts) expect(count).toBeGreaterThan(1700);
  });

  test('adding a server moves only the keys that go to it', () => {
    const three = ['a:11211', 'b:11211', 'c:11211'];
    const before = rendezvous(three);
    const after = rendezvous([...three, 'd:11211']);
    let moved = 0;
    for (const key of keys) {
      const to = after(key);
      if (to === 3) moved++;
      else expect(to).toBe(before(key));
    }
    expect(moved / keys.length).toBeGreaterThan(0.2);
    expect(moved / keys.length).toBeLessThan(0.3);
  });
});
