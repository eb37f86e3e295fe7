import { Cache, Invalidate } from '@cachet/core';
import {
  Controller,
  Get,
  Injectable,
  InternalServerErrorException,
  NotFoundException,
  Param,
  Post,
  Query,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheKey, CacheTags, CacheTTL, CachetInterceptor, CachetModule } from '../../src/index.js';
import { type RunningApp, startApp } from '../support/app.js';

/** How often each handler ran. */
const runs: Record<string, number> = {};
const ran = (name: string) => (runs[name] = (runs[name] ?? 0) + 1);

@Injectable()
class ProductsService {
  @Invalidate({ tags: (id: string) => [`product:${id}`] })
  async touch(_id: string): Promise<void> {}
}

@Controller('products')
@UseInterceptors(CachetInterceptor)
class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  list(@Query('page') page = '1') {
    ran('list');
    return { page, items: ['a', 'b'] };
  }

  @Get('top')
  @CacheKey('products:top')
  top(@Query('n') n = '3') {
    ran('top');
    return { n };
  }

  @Get('flash')
  @CacheTTL(100)
  flash() {
    ran('flash');
    return { at: runs.flash };
  }

  @Get('slow')
  async slow() {
    ran('slow');
    await new Promise((resolve) => setTimeout(resolve, 150));
    return { slow: true };
  }

  @Get('flaky')
  flaky() {
    if (ran('flaky') === 1) throw new InternalServerErrorException('first call fails');
    return { ok: true };
  }

  @Get('live')
  @CacheKey(false)
  live() {
    return { run: ran('live') };
  }

  @Get(':id')
  @CacheTags((context) => [`product:${context.switchToHttp().getRequest().params.id}`])
  one(@Param('id') id: string) {
    ran(`one:${id}`);
    return { id, version: runs[`one:${id}`] };
  }

  @Post(':id')
  async update(@Param('id') id: string) {
    ran(`post:${id}`);
    await this.products.touch(id);
    return { updated: id };
  }
}

/** Routes whose results must not be cached, whatever the cache's options. */
@Controller('files')
@UseInterceptors(CachetInterceptor)
class FilesController {
  @Get('missing')
  missing() {
    ran('missing');
    throw new NotFoundException('no such file');
  }

  @Get('download')
  download() {
    return new StreamableFile(Buffer.from(`file ${ran('download')}`));
  }
}

/** A controller without `@UseInterceptors`: cached only through the app-wide interceptor. */
@Controller('plain')
class PlainController {
  @Get()
  plain() {
    return { run: ran('plain') };
  }
}

/** `CachetInterceptor` on GET routes, as users of `@nestjs/cache-manager` had it. */
export function describeInterceptor(): void {
  describe('CachetInterceptor', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startApp({
        imports: [CachetModule.forRoot({ ttl: '1m' })],
        controllers: [ProductsController],
        providers: [ProductsService],
      });
    });
    afterAll(() => running.close());

    it('answers repeated GETs from the cache, per URL including the query', async () => {
      const before = runs.list ?? 0;
      expect(await running.request('/products?page=1')).toEqual({
        status: 200,
        body: { page: '1', items: ['a', 'b'] },
      });
      await running.request('/products?page=1');
      expect((await running.request('/products?page=2')).body).toEqual({ page: '2', items: ['a', 'b'] });
      expect(runs.list - before).toBe(2);
      expect(await running.app.get(Cache).get('http:/products?page=2')).toEqual({
        page: '2',
        items: ['a', 'b'],
      });
    });

    it('uses the @CacheKey key, whatever the query', async () => {
      expect((await running.request('/products/top?n=3')).body).toEqual({ n: '3' });
      expect((await running.request('/products/top?n=5')).body).toEqual({ n: '3' });
      expect(runs.top).toBe(1);
    });

    it('keeps a response for its @CacheTTL only', async () => {
      expect((await running.request('/products/flash')).body).toEqual({ at: 1 });
      expect((await running.request('/products/flash')).body).toEqual({ at: 1 });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await running.request('/products/flash')).body).toEqual({ at: 2 });
    });

    it('runs the handler once for concurrent identical GETs', async () => {
      const answers = await Promise.all(Array.from({ length: 8 }, () => running.request('/products/slow')));
      expect(answers.every((answer) => answer.status === 200 && answer.body.slow === true)).toBe(true);
      expect(runs.slow).toBe(1);
    });

    it('does not cache an error, nor POSTs, nor a @CacheKey(false) route', async () => {
      expect((await running.request('/products/flaky')).status).toBe(500);
      expect(await running.request('/products/flaky')).toEqual({ status: 200, body: { ok: true } });
      expect((await running.request('/products/live')).body).toEqual({ run: 1 });
      expect((await running.request('/products/live')).body).toEqual({ run: 2 });
      await running.request('/products/9', { method: 'POST' });
      await running.request('/products/9', { method: 'POST' });
      expect(runs['post:9']).toBe(2);
    });

    it('drops a tagged response when a service invalidates its tag', async () => {
      expect((await running.request('/products/7')).body).toEqual({ id: '7', version: 1 });
      expect((await running.request('/products/7')).body).toEqual({ id: '7', version: 1 });
      expect((await running.request('/products/8')).body).toEqual({ id: '8', version: 1 });
      await running.request('/products/7', { method: 'POST' });
      expect((await running.request('/products/7')).body).toEqual({ id: '7', version: 2 });
      expect((await running.request('/products/8')).body).toEqual({ id: '8', version: 1 });
    });
  });

  describe('CachetInterceptor on a cache that caches loader errors (cacheErrors)', () => {
    it('still answers an HttpException with its status, and never caches a StreamableFile', async () => {
      const running = await startApp({
        imports: [CachetModule.forRoot({ cacheErrors: { ttl: '1m' } })],
        controllers: [FilesController],
      });
      try {
        expect((await running.request('/files/missing')).status).toBe(404);
        expect((await running.request('/files/missing')).status).toBe(404);
        expect(runs.missing).toBe(2);
        expect(await running.request('/files/download')).toEqual({ status: 200, body: 'file 1' });
        expect(await running.request('/files/download')).toEqual({ status: 200, body: 'file 2' });
      } finally {
        await running.close();
      }
    });
  });

  describe('CachetInterceptor as APP_INTERCEPTOR', () => {
    it('caches every GET route of the app', async () => {
      const running = await startApp({
        imports: [CachetModule.forRoot({ isGlobal: true })],
        controllers: [PlainController],
        providers: [{ provide: APP_INTERCEPTOR, useClass: CachetInterceptor }],
      });
      try {
        expect((await running.request('/plain')).body).toEqual({ run: 1 });
        expect((await running.request('/plain')).body).toEqual({ run: 1 });
      } finally {
        await running.close();
      }
    });
  });
}
