import { defineConfig } from 'vitest/config';

/**
 * Three projects:
 * - `unit`: tests beside the code, compiled with TC39 standard decorators;
 * - `legacy`: the decorator fixtures again, compiled with `experimentalDecorators` (the NestJS mode);
 * - `integration`: cross-package suites in `test/` against the built packages and real servers.
 */
export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default'] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts'],
          exclude: ['**/*.legacy.test.ts'],
        },
        esbuild: { target: 'es2022', tsconfigRaw: { compilerOptions: { experimentalDecorators: false } } },
      },
      {
        test: {
          name: 'legacy',
          include: ['packages/core/src/decorators/**/*.test.ts', 'packages/*/src/**/*.legacy.test.ts'],
          exclude: ['**/*.standard.test.ts'],
        },
        esbuild: {
          target: 'es2022',
          tsconfigRaw: { compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true } },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
        esbuild: { target: 'es2022' },
      },
      // @cachet/nestjs against Nest 12, then the same suite against Nest 11 (SWC: decorator metadata).
      'packages/nestjs/vitest.config.ts',
      'packages/nestjs-compat-11/vitest.config.ts',
    ],
  },
});
