import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { KeyError } from './errors.js';
import { encodeArgs, keyOf, MAX_ARGS_KEY_LENGTH } from './keys.js';

const distinct: [string, unknown[], unknown[]][] = [
  ['one string with a comma vs two strings', ['a,b'], ['a', 'b']],
  ['number vs numeric string', [1], ['1']],
  ['nesting', [[1, [2]]], [[[1], 2]]],
  ['array arg vs spread args', [[1, 2]], [1, 2]],
  ['null vs undefined in an array', [[null]], [[undefined]]],
  ['null vs "null"', [null], ['null']],
  ['true vs "true"', [true], ['true']],
  ['bigint vs number', [1n], [1]],
  ['NaN vs "NaN"', [Number.NaN], ['NaN']],
  ['date vs its time', [new Date(5)], [5]],
  ['Map vs object', [new Map([['a', 1]])], [{ a: 1 }]],
  ['Set vs array', [new Set([1])], [[1]]],
  ['string with quotes', ['a","b'], ['a', 'b']],
  ['parenthesised string', ['(1,2)'], [1, 2]],
  ['empty args vs empty string', [], ['']],
  ['bytes differ', [Buffer.from('a')], [Buffer.from('b')]],
];

describe('default keys', () => {
  test.each(distinct)('%s never share a key', (_, a, b) => {
    expect(encodeArgs(a)).not.toBe(encodeArgs(b));
  });

  test('equal arguments meet: object key order, Map and Set order do not matter', () => {
    expect(encodeArgs([{ a: 1, b: 2 }])).toBe(encodeArgs([{ b: 2, a: 1 }]));
    expect(encodeArgs([{ x: { p: 1, q: [1, 2] } }])).toBe(encodeArgs([{ x: { q: [1, 2], p: 1 } }]));
    expect(
      encodeArgs([
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
      ]),
    ).toBe(
      encodeArgs([
        new Map([
          ['b', 2],
          ['a', 1],
        ]),
      ]),
    );
    expect(encodeArgs([new Set([1, 2])])).toBe(encodeArgs([new Set([2, 1])]));
  });

  test('trailing undefined arguments and undefined fields are ignored, as in JSON', () => {
    expect(encodeArgs([1])).toBe(encodeArgs([1, undefined]));
    expect(encodeArgs([{ a: 1, b: undefined }])).toBe(encodeArgs([{ a: 1 }]));
    expect(encodeArgs([undefined, 1])).not.toBe(encodeArgs([1]));
  });

  test('long keys are hashed to a bounded length, never truncated', () => {
    const a = keyOf('Users.get', ['x'.repeat(10_000) + 'a']);
    const b = keyOf('Users.get', ['x'.repeat(10_000) + 'b']);
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThan(64);
    expect(a.startsWith('Users.get:#')).toBe(true);
    expect(keyOf('Users.get', [42])).toBe('Users.get:42');
    expect(keyOf('N', ['y'.repeat(MAX_ARGS_KEY_LENGTH - 2)]).length).toBe(2 + MAX_ARGS_KEY_LENGTH);
  });

  test('functions, symbols and cycles cannot make a key: a KeyError says to give `key`', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const bad of [() => 1, Symbol('s'), cycle]) {
      expect(() => encodeArgs([bad])).toThrow(KeyError);
      expect(() => encodeArgs([bad])).toThrow(/`key` function/);
    }
  });

  test('property: different argument lists never share a key; equal ones always do', () => {
    const arg = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.bigInt(),
      fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 4 }),
    );
    const args = fc.array(arg, { maxLength: 4 });
    fc.assert(
      fc.property(args, args, (a, b) => {
        const same = canonical(a) === canonical(b);
        expect(encodeArgs(a) === encodeArgs(b)).toBe(same);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Equality of argument lists as the key rules define it, computed independently of the encoder. */
function canonical(args: unknown[]): string {
  const normal = (v: unknown): unknown => {
    if (typeof v === 'bigint') return { bigint: v.toString() };
    if (typeof v === 'number') return Object.is(v, -0) ? { n: '0' } : { n: String(v) };
    if (Array.isArray(v)) return { a: v.map(normal) };
    if (v !== null && typeof v === 'object') {
      return {
        o: Object.keys(v)
          .sort()
          .map((k) => [k, normal((v as Record<string, unknown>)[k])]),
      };
    }
    return v;
  };
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return JSON.stringify(args.slice(0, n).map(normal));
}
