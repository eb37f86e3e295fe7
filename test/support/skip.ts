import { hasBinary } from './server-process.js';

/**
 * Whether the binaries a suite needs are missing. Prints why once, so a machine without the servers
 * passes with a visible reason instead of failing.
 */
export function missing(suite: string, ...binaries: string[]): boolean {
  const absent = binaries.filter((binary) => !hasBinary(binary));
  if (absent.length > 0) {
    console.warn(
      `[cachet] skipping "${suite}": ${absent.join(', ')} not found on PATH (apt-get install redis-server memcached)`,
    );
  }
  return absent.length > 0;
}
