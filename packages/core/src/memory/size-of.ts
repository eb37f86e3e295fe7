/** Bytes counted for the bookkeeping of one entry besides its key and value. */
const ENTRY_OVERHEAD = 32;
/** Bytes counted per property or element of an object, besides its key and value. */
const SLOT_OVERHEAD = 8;

/**
 * The default `sizeOf` of {@link MemoryStore}: a rough estimate, in bytes, of the heap an entry holds.
 * Strings count 2 bytes per UTF-16 code unit, binary data its byte length, numbers 8; arrays, plain
 * objects, maps and sets the sum of their parts, each shared or cyclic object once. It is meant for
 * JSON-like values; give your own `sizeOf` for anything else (class instances with hidden state,
 * functions, and so on).
 */
export function estimateSize(value: unknown, key: string): number {
  return ENTRY_OVERHEAD + 2 * key.length + sizeOfValue(value, undefined);
}

/** Estimated bytes of `value`; `seen` holds the objects counted already (created on the first one). */
function sizeOfValue(value: unknown, seen: WeakSet<object> | undefined): number {
  switch (typeof value) {
    case 'string':
      return 2 * value.length;
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 4;
    case 'object':
      return value === null ? 0 : sizeOfObject(value, seen ?? new WeakSet());
    default:
      return 0;
  }
}

/** Estimated bytes of a non-null object, counted once however often it is referenced. */
function sizeOfObject(value: object, seen: WeakSet<object>): number {
  if (seen.has(value)) return 0;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (value instanceof Date) return 8;
  let size = SLOT_OVERHEAD;
  if (Array.isArray(value)) {
    for (const element of value) size += SLOT_OVERHEAD + sizeOfValue(element, seen);
  } else if (value instanceof Map) {
    for (const [k, v] of value) size += SLOT_OVERHEAD + sizeOfValue(k, seen) + sizeOfValue(v, seen);
  } else if (value instanceof Set) {
    for (const element of value) size += SLOT_OVERHEAD + sizeOfValue(element, seen);
  } else {
    for (const k in value) {
      size += SLOT_OVERHEAD + 2 * k.length + sizeOfValue((value as Record<string, unknown>)[k], seen);
    }
  }
  return size;
}
