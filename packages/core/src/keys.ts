import { createHash } from 'node:crypto';
import { KeyError } from './errors.js';

/**
 * Longest argument encoding kept as it is; longer ones are replaced by their SHA-256, so keys stay
 * bounded (Memcached takes at most 250 bytes) and are never truncated into collisions.
 */
export const MAX_ARGS_KEY_LENGTH = 160;

/**
 * Builds the default key of a decorated call: `namespace + ':' + encodeArgs(args)`, hashed when long.
 */
export function keyOf(namespace: string, args: readonly unknown[]): string {
  const encoded = encodeArgs(args);
  return `${namespace}:${encoded.length > MAX_ARGS_KEY_LENGTH ? hashKey(encoded) : encoded}`;
}

/** A fixed-length stand-in for a long key: `#` and the base64url SHA-256 (44 characters). */
export function hashKey(text: string): string {
  return `#${createHash('sha256').update(text).digest('base64url')}`;
}

/**
 * A stable, injective text for a list of arguments:
 * - different arguments never meet: `('a,b')` vs `('a', 'b')`, `1` vs `'1'`, `[1,[2]]` vs `[[1],2]`;
 * - equal arguments always do: object keys are sorted, Map and Set entries too;
 * - trailing `undefined` arguments are dropped, so `f(1)` and `f(1, undefined)` share a key, and so are
 *   `undefined` object fields, as in JSON (`{ a: 1, b: undefined }` meets `{ a: 1 }`).
 *
 * One argument encodes as itself; several as `(a,b,...)`. No single value's encoding starts with `(`,
 * so the two forms never collide.
 */
export function encodeArgs(args: readonly unknown[]): string {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  if (n === 0) return '()';
  if (n === 1) return encodeValue(args[0], undefined);
  let out = '(';
  for (let i = 0; i < n; i++) out += (i === 0 ? '' : ',') + encodeValue(args[i], undefined);
  return `${out})`;
}

/**
 * Encodes one value. Strings are JSON-quoted; every other non-JSON form starts with `#`. `seen` holds
 * the objects on the path, to refuse cycles; it is made at the first object, so primitives cost nothing.
 */
function encodeValue(value: unknown, seen: object[] | undefined): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : `#${value}`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `#${value}n`;
    case 'undefined':
      return '#u';
    case 'function':
    case 'symbol':
      throw new KeyError(
        `cannot build a cache key from a ${typeof value} argument; give the decorator a \`key\` function`,
      );
  }
  if (value === null) return 'null';
  const object = value as object;
  if (seen === undefined) seen = [];
  else if (seen.includes(object)) {
    throw new KeyError(
      'cannot build a cache key from a circular argument; give the decorator a `key` function',
    );
  }
  seen.push(object);
  try {
    return encodeObject(object, seen);
  } finally {
    seen.pop();
  }
}

function encodeObject(object: object, seen: object[]): string {
  if (Array.isArray(object)) {
    let out = '[';
    for (let i = 0; i < object.length; i++) out += (i === 0 ? '' : ',') + encodeValue(object[i], seen);
    return `${out}]`;
  }
  if (object instanceof Date) return `#D${object.getTime()}`;
  if (object instanceof Map) {
    const entries = [...object].map(([k, v]) => `${encodeValue(k, seen)}:${encodeValue(v, seen)}`);
    return `#M{${entries.sort().join(',')}}`;
  }
  if (object instanceof Set)
    return `#S[${[...object]
      .map((v) => encodeValue(v, seen))
      .sort()
      .join(',')}]`;
  if (ArrayBuffer.isView(object)) {
    const bytes = Buffer.from(object.buffer, object.byteOffset, object.byteLength).toString('base64');
    return `#B${object.constructor.name}(${bytes})`;
  }
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    return `#J${encodeValue((object as { toJSON(): unknown }).toJSON(), seen)}`;
  }
  const keys = Object.keys(object).sort();
  const proto = Object.getPrototypeOf(object);
  // Instances of different classes with the same fields stay apart; plain objects carry no prefix.
  let out =
    proto === Object.prototype || proto === null
      ? '{'
      : `#C${JSON.stringify(proto?.constructor?.name ?? '')}{`;
  let first = true;
  for (const key of keys) {
    const field = (object as Record<string, unknown>)[key];
    if (field === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${encodeValue(field, seen)}`;
    first = false;
  }
  return `${out}}`;
}
