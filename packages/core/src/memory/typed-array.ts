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

/**
 * A copy of `list` with exactly `capacity` elements, the new ones `undefined`. Growing a plain array
 * by writes past its end would leave up to 50% unused capacity (V8 grows by 1.5×); an array made with
 * `new Array(n).fill(undefined)` has exactly `n` 8-byte elements and stays in fast (non-dictionary) mode.
 */
export function growList<T>(list: (T | undefined)[], capacity: number): (T | undefined)[] {
  if (capacity <= list.length) return list;
  const bigger = new Array<T | undefined>(capacity).fill(undefined);
  for (let i = 0; i < list.length; i++) bigger[i] = list[i];
  return bigger;
}
