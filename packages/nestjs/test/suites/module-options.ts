import { Cache, Cached } from '@cachet/core';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import {
  CACHET_OPTIONS,
  CachetModule,
  type CachetModuleOptions,
  type CachetOptionsFactory,
  InjectCache,
} from '../../src/index.js';

/** An options factory exported by a module of its own, for `useExisting`. */
@Injectable()
class ShortLivedOptions implements CachetOptionsFactory {
  createCachetOptions(): CachetModuleOptions {
    return { ttl: 60 };
  }
}

@Module({ providers: [ShortLivedOptions], exports: [ShortLivedOptions] })
class OptionsModule {}

@Injectable()
class AuditService {
  runs = 0;
  constructor(
    @InjectCache('audit') readonly audit: Cache,
    readonly root: Cache,
  ) {}

  @Cached({ cache: 'audit', key: (day: string) => `audit:${day}` })
  async day(day: string): Promise<string[]> {
    this.runs++;
    return [`${day}: login`];
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How the module takes its options, and what it says when they cannot work. */
export function describeModuleOptions(): void {
  describe('CachetModule options', () => {
    it('takes options from an existing factory provider (useExisting)', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [CachetModule.forRootAsync({ imports: [OptionsModule], useExisting: ShortLivedOptions })],
      }).compile();
      await moduleRef.init();
      try {
        const cache = moduleRef.get(Cache);
        await cache.set('k', 'v');
        expect(await cache.get('k')).toBe('v');
        await sleep(100);
        expect(await cache.get('k')).toBeUndefined(); // the factory's 60 ms TTL, not the 5 minute default
      } finally {
        await moduleRef.close();
      }
    });

    it('makes a named cache with forFeatureAsync from the app cache options', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          CachetModule.forRoot({ isGlobal: true, ttl: '1m' }),
          CachetModule.forFeatureAsync({
            name: 'audit',
            inject: [CACHET_OPTIONS],
            useFactory: (root: CachetModuleOptions) => ({ ...root, namespace: 'audit' }),
          }),
        ],
        providers: [AuditService],
      }).compile();
      await moduleRef.init();
      try {
        const service = moduleRef.get(AuditService);
        expect(service.audit).toBeInstanceOf(Cache);
        expect(service.audit).not.toBe(service.root);
        await service.day('2026-11-01');
        expect(await service.day('2026-11-01')).toEqual(['2026-11-01: login']);
        expect(service.runs).toBe(1);
        expect(await service.audit.get('audit:2026-11-01')).toEqual(['2026-11-01: login']);
        expect(await service.root.get('audit:2026-11-01')).toBeUndefined();
      } finally {
        await moduleRef.close();
      }
    });

    it('rejects async options without exactly one of useFactory, useClass, useExisting', () => {
      expect(() => CachetModule.forRootAsync({})).toThrow(
        new TypeError(
          'CachetModule.forRootAsync takes exactly one of useFactory, useClass and useExisting (got 0)',
        ),
      );
      expect(() =>
        CachetModule.forRootAsync({ useFactory: () => ({}), useExisting: ShortLivedOptions }),
      ).toThrow(/exactly one of useFactory, useClass and useExisting \(got 2\)/);
    });

    it('rejects a named cache without a name, and options that are not an object', async () => {
      expect(() => CachetModule.forFeature({ ttl: '1m' } as never)).toThrow(/needs a non-empty `name`/);
      const compiling = Test.createTestingModule({
        imports: [CachetModule.forRootAsync({ useFactory: () => 'redis://nowhere' as never })],
      }).compile();
      await expect(compiling).rejects.toThrow(/the cache options must be an object/);
    });
  });
}
