import { Controller, Get, Module } from '@nestjs/common';
import commonPackage from '@nestjs/common/package.json' with { type: 'json' };
import { NestApplication } from '@nestjs/core';
import corePackage from '@nestjs/core/package.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { CachetModule } from '../../src/index.js';
import { startApp } from '../support/app.js';

@Controller()
class PingController {
  @Get('ping')
  ping() {
    return 'pong';
  }
}

@Module({ imports: [CachetModule.forRoot()], controllers: [PingController] })
class PingModule {}

/** Which Nest this run loaded: the one the suite's imports and `@cachet/nestjs`'s resolve to. */
export function describeNestVersion(major: number): void {
  describe(`the run loads Nest ${major}`, () => {
    it(`resolves @nestjs/core and @nestjs/common ${major}.x`, () => {
      expect(corePackage.version.split('.')[0]).toBe(String(major));
      expect(commonPackage.version.split('.')[0]).toBe(String(major));
    });

    // @nestjs/testing makes the app with the @nestjs/core it finds itself: the same module as above.
    it(`serves the app with the NestApplication of that @nestjs/core ${major}`, async () => {
      const running = await startApp({ imports: [PingModule] });
      try {
        expect(running.app).toBeInstanceOf(NestApplication);
        expect(await running.request('/ping')).toEqual({ status: 200, body: 'pong' });
      } finally {
        await running.close();
      }
    });
  });
}
