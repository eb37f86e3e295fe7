import { Cache, Cached, Invalidate, peekDefaultCache, setDefaultCache } from '@cachet/core';
import { Body, Controller, Get, Injectable, Module, Param, ParseIntPipe, Put, Scope } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { CachetModule, getCacheToken, InjectCache } from '../../src/index.js';
import { type RunningApp, startApp } from '../support/app.js';

interface User {
  id: number;
  name: string;
}

/** The "database", counting its reads. */
@Injectable()
class UsersDb {
  reads = 0;
  readonly rows = new Map<number, User>([
    [1, { id: 1, name: 'Ada' }],
    [2, { id: 2, name: 'Grace' }],
  ]);
  async find(id: number): Promise<User | null> {
    this.reads++;
    return this.rows.get(id) ?? null;
  }
}

@Injectable()
class UsersService {
  constructor(
    private readonly db: UsersDb,
    readonly cache: Cache,
  ) {}

  @Cached({ key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
  async get(id: number): Promise<User | null> {
    return this.db.find(id);
  }

  @Invalidate({ tags: (id: number) => [`user:${id}`] })
  async rename(id: number, name: string): Promise<void> {
    this.db.rows.set(id, { id, name });
  }
}

@Controller('users')
class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number) {
    return this.users.get(id);
  }

  @Put(':id')
  async rename(@Param('id', ParseIntPipe) id: number, @Body() body: { name: string }) {
    await this.users.rename(id, body.name);
    return { ok: true };
  }
}

/** A request-scoped service: a new instance per request, one cache for all of them. */
@Injectable({ scope: Scope.REQUEST })
class GreetingService {
  static made = 0;
  constructor(private readonly db: UsersDb) {
    GreetingService.made++;
  }

  @Cached({ key: (id: number) => `greeting:${id}` })
  async greet(id: number): Promise<string> {
    return `hello ${(await this.db.find(id))?.name}`;
  }
}

@Controller('greetings')
class GreetingsController {
  constructor(private readonly greetings: GreetingService) {}
  @Get(':id')
  greet(@Param('id', ParseIntPipe) id: number) {
    return this.greetings.greet(id);
  }
}

/** A service on a named cache. */
@Injectable()
class ReportsService {
  runs = 0;
  constructor(@InjectCache('reports') readonly reports: Cache) {}

  @Cached({ cache: 'reports', key: (month: string) => `report:${month}` })
  async monthly(month: string): Promise<{ month: string; total: number }> {
    this.runs++;
    return { month, total: 42 };
  }
}

@Module({
  imports: [CachetModule.forFeature({ name: 'reports', namespace: 'reports', ttl: '1h' })],
  providers: [ReportsService],
  exports: [ReportsService],
})
class ReportsModule {}

@Controller('reports')
class ReportsController {
  constructor(private readonly reports: ReportsService) {}
  @Get(':month')
  monthly(@Param('month') month: string) {
    return this.reports.monthly(month);
  }
}

const appModule = {
  imports: [CachetModule.forRoot({ ttl: '1m', isGlobal: true }), ReportsModule],
  controllers: [UsersController, GreetingsController, ReportsController],
  providers: [UsersDb, UsersService, GreetingService],
};

/** Decorated service methods behind controllers, over real HTTP. */
export function describeServiceCaching(): void {
  describe('decorators on services resolve the module cache', () => {
    let running: RunningApp | undefined;
    afterEach(async () => {
      await running?.close();
      running = undefined;
    });

    it('runs the loader once for repeated requests, and again after an update invalidates it', async () => {
      running = await startApp(appModule);
      const db = running.app.get(UsersDb);
      for (let i = 0; i < 3; i++) {
        expect(await running.request('/users/1')).toEqual({ status: 200, body: { id: 1, name: 'Ada' } });
      }
      expect(db.reads).toBe(1);

      const put = await running.request('/users/1', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Ada Lovelace' }),
      });
      expect(put.status).toBe(200);
      expect(await running.request('/users/1')).toEqual({
        status: 200,
        body: { id: 1, name: 'Ada Lovelace' },
      });
      expect(db.reads).toBe(2);
      // The other user's entry was not touched by the invalidation.
      await running.request('/users/2');
      await running.request('/users/2');
      expect(db.reads).toBe(3);
    });

    it('writes into the injectable Cache: the one from forRoot, injected by its class', async () => {
      running = await startApp(appModule);
      const cache = running.app.get(Cache);
      expect(running.app.get(UsersService).cache).toBe(cache);
      expect(await cache.get('user:2')).toBeUndefined();
      await running.request('/users/2');
      expect(await cache.get('user:2')).toEqual({ id: 2, name: 'Grace' });
      const { hits, loads } = cache.stats();
      await running.request('/users/2');
      expect(cache.stats()).toMatchObject({ hits: hits + 1, loads });
    });

    it('caches a request-scoped provider across requests, each request with its own instance', async () => {
      running = await startApp(appModule);
      const before = GreetingService.made;
      for (let i = 0; i < 3; i++) {
        expect((await running.request('/greetings/2')).body).toBe('hello Grace');
      }
      expect(GreetingService.made - before).toBe(3);
      expect(running.app.get(UsersDb).reads).toBe(1);
    });

    it('puts `cache: name` entries in the named cache from forFeature', async () => {
      running = await startApp(appModule);
      await running.request('/reports/2026-10');
      expect((await running.request('/reports/2026-10')).body).toEqual({ month: '2026-10', total: 42 });
      const service = running.app.get(ReportsService);
      expect(service.runs).toBe(1);
      const reports = running.app.get<Cache>(getCacheToken('reports'));
      expect(service.reports).toBe(reports);
      expect(reports).not.toBe(running.app.get(Cache));
      expect(await reports.get('report:2026-10')).toEqual({ month: '2026-10', total: 42 });
      expect(await running.app.get(Cache).get('report:2026-10')).toBeUndefined();
    });

    it('gives each of two apps running at once its own cache, to inject and to its decorators', async () => {
      const first = await startApp(appModule);
      const second = await startApp(appModule);
      try {
        await first.request('/users/1');
        await second.request('/users/2');
        await second.request('/users/2');
        await first.request('/users/1');
        // Each app's decorated service wrote to, and read from, its own app's cache only.
        expect(await first.app.get(Cache).get('user:1')).toEqual({ id: 1, name: 'Ada' });
        expect(await first.app.get(Cache).get('user:2')).toBeUndefined();
        expect(await second.app.get(Cache).get('user:2')).toEqual({ id: 2, name: 'Grace' });
        expect(await second.app.get(Cache).get('user:1')).toBeUndefined();
        expect(first.app.get(UsersDb).reads).toBe(1);
        expect(second.app.get(UsersDb).reads).toBe(1);
        // An invalidation in one app leaves the other's entries alone.
        await second.request('/users/1');
        await first.request('/users/1', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Ada L.' }),
        });
        expect((await first.request('/users/1')).body).toEqual({ id: 1, name: 'Ada L.' });
        expect(await second.app.get(Cache).get('user:1')).toEqual({ id: 1, name: 'Ada' });
        // Named caches too: each app's ReportsService runs once.
        await first.request('/reports/2026-11');
        await second.request('/reports/2026-11');
        expect(first.app.get(ReportsService).runs).toBe(1);
        expect(second.app.get(ReportsService).runs).toBe(1);
        await second.close();
        await first.request('/users/2');
        await first.request('/users/2');
        expect(first.app.get(UsersDb).reads).toBe(3);
      } finally {
        await first.close();
      }
      // Once every app closed, a decorated call outside Nest does not touch a closed app's cache, even
      // on an instance the app made.
      const closed = first.app.get(Cache).stats();
      const db = new UsersDb();
      const outside = new UsersService(db, undefined as unknown as Cache);
      expect(await outside.get(1)).toEqual({ id: 1, name: 'Ada' });
      expect(db.reads).toBe(1);
      await first.app.get(UsersService).get(2);
      expect(first.app.get(Cache).stats()).toEqual(closed);
    });

    it('puts back the default cache the user set before the app started, when the app closes', async () => {
      const mine = new Cache();
      setDefaultCache(mine);
      try {
        const app = await startApp(appModule);
        await app.request('/users/2');
        expect(await mine.get('user:2')).toBeUndefined();
        await app.close();
        expect(peekDefaultCache()).toBe(mine);
      } finally {
        setDefaultCache(undefined);
      }
    });
  });
}
