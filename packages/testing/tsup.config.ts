import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'faulty-store': 'src/faulty-store.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  treeshake: true,
});
