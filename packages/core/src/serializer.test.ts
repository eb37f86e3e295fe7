import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SerializationError } from './errors.js';
import { JsonSerializer } from './serializer.js';

const serializer = new JsonSerializer();
const roundTrip = (value: unknown) => serializer.deserialize(serializer.serialize(value));

describe('JsonSerializer', () => {
  test('keeps what JSON loses', () => {
    const value = {
      date: new Date('2026-11-22T10:00:00.123Z'),
      map: new Map<unknown, unknown>([
        ['a', 1],
        [2, { b: new Set([1, 'x']) }],
      ]),
      set: new Set([1, 2, 3]),
      big: 12345678901234567890n,
      buffer: Buffer.from('héllo'),
      bytes: new Uint8Array([0, 1, 255]),
      missing: undefined,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      ninf: Number.NEGATIVE_INFINITY,
      negZero: -0,
      nested: [undefined, null, { $: 'looks like a tag', v: 1 }],
    };
    const back = roundTrip(value) as typeof value;
    expect(back).toStrictEqual(value);
    expect(Buffer.isBuffer(back.buffer)).toBe(true);
    expect(back.bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(back.bytes)).toBe(false);
    expect('missing' in back).toBe(true);
    expect(Object.is(back.negZero, -0)).toBe(true);
  });

  test('top-level undefined and null are told apart', () => {
    expect(roundTrip(undefined)).toBeUndefined();
    expect(roundTrip(null)).toBeNull();
  });

  test('an own __proto__ key stays data and does not change the prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const back = roundTrip(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each([
    ['a function', { f: () => 1 }, /cannot serialize a function at \$\.f/],
    ['a symbol', [Symbol('x')], /cannot serialize a symbol at \$\[0\]/],
  ])('rejects %s with a SerializationError naming the path', (_, value, message) => {
    expect(() => serializer.serialize(value)).toThrow(SerializationError);
    expect(() => serializer.serialize(value)).toThrow(message);
  });

  test('rejects circular references', () => {
    const value: Record<string, unknown> = { a: { b: {} } };
    (value.a as Record<string, unknown>).b = value;
    expect(() => serializer.serialize(value)).toThrow(/circular reference at \$\.a\.b/);
  });

  test('shared (non-circular) references are fine', () => {
    const shared = { x: 1 };
    expect(roundTrip({ a: shared, b: shared })).toStrictEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  test('property: every JSON-superset value round-trips', () => {
    const { leaf } = fc.letrec((tie) => ({
      leaf: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.double(),
        fc.integer(),
        fc.bigInt(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.date({ noInvalidDate: true }),
        fc.uint8Array().map((a) => new Uint8Array(a)),
        fc.array(tie('leaf'), { maxLength: 3 }),
        fc.dictionary(fc.string(), tie('leaf'), { maxKeys: 3, noNullPrototype: true }),
        fc.array(fc.tuple(fc.string(), tie('leaf')), { maxLength: 3 }).map((e) => new Map(e)),
        fc.array(fc.integer(), { maxLength: 3 }).map((e) => new Set(e)),
      ),
    }));
    fc.assert(
      fc.property(leaf, (value) => {
        expect(roundTrip(value)).toStrictEqual(value);
      }),
      { numRuns: 1000 },
    );
  });
});
