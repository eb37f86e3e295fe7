import type { Duration } from './types.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy;
/** Parsed strings: there are few distinct ones in a program, so this stays small. */
const parsed = new Map<string, number>();

/**
 * Turns a {@link Duration} into milliseconds. `option` names the option in the error thrown for bad
 * input, e.g. `parseDuration('5 minutes', 'ttl')` throws a `TypeError` that says how to write it.
 */
export function parseDuration(value: Duration | string, option: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
    if (value === Number.POSITIVE_INFINITY) return value;
    throw new TypeError(`${option} must be a non-negative number of milliseconds, got ${value}`);
  }
  if (typeof value !== 'string') {
    throw new TypeError(`${option} must be milliseconds or a string like '500ms', '30s', '5m', '1h'`);
  }
  const known = parsed.get(value);
  if (known !== undefined) return known;
  const text = value.trim();
  let total = 0;
  let end = 0;
  PART.lastIndex = 0;
  for (let match = PART.exec(text); match !== null; match = PART.exec(text)) {
    total += Number(match[1]) * UNITS[match[2]];
    end = PART.lastIndex;
  }
  if (end === 0 || end !== text.length) {
    throw new TypeError(
      `${option}: cannot read "${value}" as a duration; write milliseconds or a number with a unit: '500ms', '30s', '5m', '1h', '1d' (or combined: '1h30m')`,
    );
  }
  parsed.set(value, total);
  return total;
}

/** Like {@link parseDuration}, but `undefined` gives `fallback`. */
export function durationOr(value: Duration | string | undefined, option: string, fallback: number): number {
  return value === undefined ? fallback : parseDuration(value, option);
}
