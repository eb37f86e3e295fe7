/** The typed arrays the store and its policies keep per slot. */
export type SlotArray = Uint8Array | Uint32Array | Int32Array | Float64Array;

/**
 * A copy of `array` with room for `capacity` elements, the new ones set to `fill`; `array` itself when
 * it is already large enough. Slot arrays only ever grow (doubling), so this runs O(log n) times.
 */
export function growArray<T extends SlotArray>(array: T, capacity: number, fill = 0): T {
  if (capacity <= array.length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(capacity);
  bigger.set(array as never);
  if (fill !== 0) bigger.fill(fill, array.length);
  return bigger;
}
