import { defineConfig, type Options } from 'tsup';

/** The build every published package shares: ESM and CJS with their `.d.ts`, for Node 20. */
export function packageBuild(entry: Options['entry'] = ['src/index.ts']) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    treeshake: true,
  });
}
