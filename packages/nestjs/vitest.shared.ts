import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineProject } from 'vitest/config';

/**
 * One vitest project of the NestJS suite.
 *
 * Nest's dependency injection reads `design:paramtypes`, which esbuild (vitest's default transform)
 * does not emit; SWC does, as `tsc` does, so tests and sources go through `unplugin-swc` with legacy
 * decorators and decorator metadata: what a Nest user's build produces.
 *
 * `nestFrom` (a package folder) makes every `@nestjs/*` import of the tests and of `@cachet/nestjs`'s
 * sources resolve from that package's `node_modules`, as a Nest app's own copy satisfies the peer
 * dependencies of `@cachet/nestjs`. That is how the same suite runs against Nest 11.
 */
export function nestProject(name: string, options: { nestFrom?: string } = {}) {
  const nestModules = options.nestFrom && fileURLToPath(new URL('node_modules/@nestjs/', options.nestFrom));
  return defineProject({
    plugins: [
      swc.vite({
        tsconfigFile: false,
        jsc: {
          target: 'es2022',
          keepClassNames: true,
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
      }),
    ],
    resolve: nestModules
      ? { alias: [{ find: /^@nestjs\/([\w-]+)(.*)$/, replacement: `${nestModules}$1$2` }] }
      : {},
    test: {
      name,
      include: ['test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  });
}
