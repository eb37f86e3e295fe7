import { createHash } from 'node:crypto';

/** The most bytes Memcached accepts in a key. */
export const MAX_KEY_BYTES = 250;
/** Marks a hashed key; keys that start with it are hashed too, so hashing stays injective. */
const HASHED = '#h:';

/**
 * A key Memcached accepts, for any string: the key itself when it is at most 250 UTF-8 bytes with no
 * whitespace or control characters, otherwise `'#h:' + base64url(sha256(key))` (46 bytes). Never
 * truncates, so two different keys never share a Memcached key (short of a SHA-256 collision).
 */
export function safeKey(key: string): string {
  if (key.length <= MAX_KEY_BYTES && !hasUnsafeChar(key) && !key.startsWith(HASHED)) {
    // Cheap test first: at most 250 UTF-16 units may still exceed 250 UTF-8 bytes.
    if (key.length * 3 <= MAX_KEY_BYTES || Buffer.byteLength(key) <= MAX_KEY_BYTES) return key;
  }
  return HASHED + createHash('sha256').update(key).digest('base64url');
}

/** Whether `key` holds whitespace or control characters (code units 0-32 and 127), which the text protocol cannot carry. */
function hasUnsafeChar(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return false;
}
