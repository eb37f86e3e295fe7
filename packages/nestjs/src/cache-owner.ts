import { bindCache, type Cache, type CacheOptions } from '@cachet/core';
import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { DiscoveryService } from '@nestjs/core';
import { removeDefaultCache } from './default-caches.js';

/** At most one store warning per this many ms per cache; the ones in between are counted. */
const WARN_EVERY = 10_000;
/** How long the boot check waits for the store to answer before it warns. */
const PROBE_TIMEOUT = 3_000;
/** The key the boot check reads: nothing is written. */
const PROBE_KEY = 'cachet:nestjs:probe';

/**
 * Owns one cache made by `CachetModule` for the life of the Nest app: binds it to the app's providers
 * and controllers (so that their decorators use this app's cache even when other apps run in the same
 * process), reports its store errors through Nest's `Logger`, checks at boot (without holding the
 * boot up) that its store answers, and on shutdown unbinds it, withdraws it from the decorators'
 * registry and closes its store, bus and lock.
 * @internal
 */
export class CacheOwner implements OnModuleInit, OnApplicationShutdown {
  /** Where warnings go: the app's logger, under the context `Cachet` or `Cachet:<name>`. */
  readonly #logger: Logger;
  /** Stops the error listener. */
  #unlisten: (() => void) | undefined;
  /** When the last warning was logged, and how many were held back since. */
  #lastWarn = 0;
  #heldBack = 0;
  /** The boot check, awaited on shutdown. */
  #probe: Promise<void> | undefined;
  /** Set once the cache is closed, so that a second shutdown does nothing. */
  #closed = false;
  /** The instances bound to this cache, unbound on shutdown. */
  #bound: object[] = [];

  constructor(
    readonly cache: Cache,
    readonly options: CacheOptions,
    readonly name: string | undefined,
    readonly discovery: DiscoveryService,
  ) {
    this.#logger = new Logger(name === undefined ? 'Cachet' : `Cachet:${name}`);
  }

  onModuleInit(): void {
    this.#bindInstances();
    this.#unlisten = this.cache.on('error', ({ error, operation }) => this.#warn(operation, error));
    const store = this.options.store as { get?: (key: string) => unknown } | undefined;
    if (typeof store?.get === 'function') this.#probe = this.#checkStore(store.get.bind(store));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const instance of this.#bound) bindCache(instance, undefined, this.name);
    this.#bound = [];
    removeDefaultCache(this.cache, this.name ?? '');
    await this.#probe;
    await this.cache.disconnect();
    this.#unlisten?.();
  }

  /**
   * Binds this cache to every provider and controller instance of the app that Nest made once (not
   * request-scoped or transient ones: those are made later, and use the registry's newest cache).
   */
  #bindInstances(): void {
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    for (const wrapper of wrappers) {
      const instance: unknown = wrapper.instance;
      if (typeof instance !== 'object' || instance === null) continue;
      if (wrapper.isTransient || !wrapper.isDependencyTreeStatic()) continue;
      bindCache(instance, this.cache, this.name);
      this.#bound.push(instance);
    }
  }

  /** Reads one key from the store; a failure or no answer is a warning, never a failed boot. */
  async #checkStore(get: (key: string) => unknown): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${PROBE_TIMEOUT} ms`)), PROBE_TIMEOUT);
      timer.unref();
    });
    try {
      await Promise.race([get(PROBE_KEY), timeout]);
    } catch (error) {
      this.#logger.warn(
        `the cache store is unreachable (${messageOf(error)}); the app runs without it (memory layer ` +
          'and origin only) until it answers (fail-open)',
      );
      this.#lastWarn = Date.now();
    } finally {
      clearTimeout(timer);
    }
  }

  /** Logs a store error, at most once per {@link WARN_EVERY} ms. */
  #warn(operation: string, error: Error): void {
    const now = Date.now();
    if (now - this.#lastWarn < WARN_EVERY) {
      this.#heldBack++;
      return;
    }
    const more = this.#heldBack > 0 ? ` (and ${this.#heldBack} more errors since the last warning)` : '';
    this.#lastWarn = now;
    this.#heldBack = 0;
    this.#logger.warn(`cache ${operation} failed: ${messageOf(error)}; failing open${more}`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
