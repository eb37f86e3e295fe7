import { Cache, Cached, Invalidate } from '@cachet/core';
import { redisStore } from '@cachet/redis';
import {
  Controller,
  type DynamicModule,
  Get,
  Injectable,
  Module,
  Param,
  ParseIntPipe,
  Put,
} from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachetModule, type CachetModuleOptions, type CachetOptionsFactory } from '../../src/index.js';
import { CapturingLogger, startApp, until } from '../support/app.js';
import { freePort, hasRedis, type RedisServer, startRedis } from '../support/redis-server.js';

/** What an app reads its settings from, as `@nestjs/config`'s `ConfigService` would give them. */
class ConfigService {
  constructor(private readonly values: Record<string, string>) {}
  getOrThrow(name: string): string {
    const value = this.values[name];
    if (value === undefined) throw new Error(`${name} is not set`);
    return value;
  }
}

@Module({})
class ConfigModule {
  static with(values: Record<string, string>): DynamicModule {
    const provider = { provide: ConfigService, useValue: new ConfigService(values) };
    return { module: ConfigModule, providers: [provider], exports: [provider] };
  }
}

/** Counts loads across apps: each app is a "process" that starts with an empty memory. */
let loads = 0;

@Injectable()
class PricesService {
  readonly prices = new Map([[1, 100]]);

  @Cached({ key: (id: number) => `price:${id}`, tags: (id: number) => [`price:${id}`] })
  async price(id: number): Promise<{ id: number; cents: number }> {
    loads++;
    return { id, cents: this.prices.get(id) ?? 0 };
  }

  @Invalidate({ tags: (id: number) => [`price:${id}`] })
  async setPrice(id: number, cents: number): Promise<void> {
    this.prices.set(id, cents);
  }
}

@Controller('prices')
class PricesController {
  constructor(private readonly prices: PricesService) {}
  @Get(':id')
  price(@Param('id', ParseIntPipe) id: number) {
    return this.prices.price(id);
  }
  @Put(':id/:cents')
  async set(@Param('id', ParseIntPipe) id: number, @Param('cents', ParseIntPipe) cents: number) {
    await this.prices.setPrice(id, cents);
    return { ok: true };
  }
}

/** `forRootAsync({ useClass })`: a class that makes the options from the config. */
@Injectable()
class CacheConfig implements CachetOptionsFactory {
  constructor(private readonly config: ConfigService) {}
  createCachetOptions(): CachetModuleOptions {
    return { store: redisStore(this.config.getOrThrow('REDIS_URL')), namespace: 'class' };
  }
}

function appWith(url: string, style: 'factory' | 'class') {
  const config = ConfigModule.with({ REDIS_URL: url });
  const cachet =
    style === 'factory'
      ? CachetModule.forRootAsync({
          imports: [config],
          inject: [ConfigService],
          useFactory: (settings: ConfigService) => ({
            store: redisStore(settings.getOrThrow('REDIS_URL')),
            namespace: 'app',
            ttl: '10m',
          }),
        })
      : CachetModule.forRootAsync({ imports: [config], useClass: CacheConfig });
  return { imports: [cachet], controllers: [PricesController], providers: [PricesService] };
}

/** Connections to the server other than the `redis-cli` asking. */
function clients(redis: RedisServer): number {
  return redis.cli('CLIENT', 'LIST').split('\n').length - 1;
}

/** `forRootAsync` with a Redis store against a real redis-server, a down Redis at boot, and shutdown. */
export function describeRedisLifecycle(): void {
  describe.skipIf(!hasRedis())('forRootAsync with a Redis store (real redis-server)', () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(() => redis?.stop());

    it('caches in Redis across app restarts, invalidates there, and closes its connection on shutdown', async () => {
      loads = 0;
      const first = await startApp(appWith(redis.url, 'factory'));
      expect(await first.request('/prices/1')).toEqual({ status: 200, body: { id: 1, cents: 100 } });
      await first.request('/prices/1');
      expect(loads).toBe(1);
      expect(redis.cli('EXISTS', 'app:price:1')).toBe('1');
      expect(clients(redis)).toBeGreaterThan(0);
      await first.close();
      expect(clients(redis)).toBe(0);

      // A new app (an empty memory, as after a deploy) is served from Redis.
      const second = await startApp(appWith(redis.url, 'factory'));
      try {
        expect(await second.request('/prices/1')).toEqual({ status: 200, body: { id: 1, cents: 100 } });
        expect(loads).toBe(1);
        expect(second.app.get(Cache).stats()).toMatchObject({ storeHits: 1 });
        await second.request('/prices/1/250', { method: 'PUT' });
        expect((await second.request('/prices/1')).body).toEqual({ id: 1, cents: 250 });
        expect(loads).toBe(2);
      } finally {
        await second.close();
      }
    });

    it('takes the options from a useClass factory', async () => {
      const running = await startApp(appWith(redis.url, 'class'));
      try {
        expect(await running.request('/prices/1')).toEqual({ status: 200, body: { id: 1, cents: 100 } });
        expect(redis.cli('EXISTS', 'class:price:1')).toBe('1');
      } finally {
        await running.close();
      }
      expect(clients(redis)).toBe(0);
    });
  });

  describe('a Redis that is down at boot', () => {
    it('boots at once, serves requests from the origin, and warns through Nest’s Logger', async () => {
      loads = 0;
      const downUrl = `redis://127.0.0.1:${await freePort()}`;
      const logger = new CapturingLogger();
      const started = Date.now();
      const running = await startApp(appWith(downUrl, 'factory'), { logger });
      try {
        expect(Date.now() - started).toBeLessThan(1500);
        expect(await running.request('/prices/1')).toEqual({ status: 200, body: { id: 1, cents: 100 } });
        // The in-process memory layer still spares the origin.
        expect(await running.request('/prices/1')).toEqual({ status: 200, body: { id: 1, cents: 100 } });
        expect(loads).toBe(1);
        await until(() => logger.warnings().some((line) => line.includes('unreachable')));
        expect(logger.warnings().find((line) => line.includes('unreachable'))).toMatch(
          /^\[Cachet\] the cache store is unreachable \(.+\); the app runs without it/,
        );
      } finally {
        await running.close();
      }
    });
  });
}
