import { describe, expect, test } from 'vitest';
import { MAX_FOLLOWED, TagClock } from './tag-clock.js';

describe('TagClock with a bus', () => {
  test('tags read once are followed, so the next hit reads none of them again', () => {
    const clock = new TagClock();
    clock.followBus(true);
    expect(clock.toRead(['user:1', 'users'])).toEqual(['user:1', 'users']);
    clock.learn(['user:1', 'users'], [0, 5], undefined, clock.epoch);
    expect(clock.toRead(['user:1', 'users'])).toBeUndefined();
    // A time from elsewhere stands for the whole of its millisecond: entries created in it are older.
    expect(clock.invalidatedSince(5.9, ['users'])).toBe(true);
    expect(clock.invalidatedSince(6, ['users'])).toBe(false);
  });

  test('the followed tags stay bounded: past MAX_FOLLOWED they are forgotten and read again', () => {
    const clock = new TagClock();
    clock.followBus(true);
    // One tag per user, never invalidated: the pattern that would grow without a bound.
    for (let i = 0; i < MAX_FOLLOWED + 10; i++) clock.learn([`user:${i}`], [0], undefined, clock.epoch);
    expect(clock.toRead(['user:0'])).toEqual(['user:0']);
    const recent = `user:${MAX_FOLLOWED + 9}`;
    expect(clock.toRead([recent])).toBeUndefined();
    // Forgetting that a tag is followed never forgets its invalidation.
    clock.invalidate(['hot'], 100);
    for (let i = 0; i < MAX_FOLLOWED; i++) clock.learn([`more:${i}`], [0], undefined, clock.epoch);
    expect(clock.invalidatedSince(50, ['hot'])).toBe(true);
  });

  test('without a bus, every tag is read every time', () => {
    const clock = new TagClock();
    clock.learn(['user:1'], [0], undefined, clock.epoch);
    expect(clock.toRead(['user:1'])).toEqual(['user:1']);
    expect(clock.clearToRead).toBe(true);
  });
});
