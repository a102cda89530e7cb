import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Custom folders (src-main, src-renderer) instead of electron-vite's src/main, src/preload,
// src/renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // tfjs-core and the cpu backend are bundled as ES modules: core's gradients exist only as
      // ES modules (dist/register_all_gradients.js, not in its CommonJS build) and must share the
      // bundled core's op handlers; the wasm backend stays external and registers into the same
      // global engine. d3-scale-chromatic is ES modules only: bundled, not require()d. mathjs is
      // bundled so that only its parser's modules load (see engine/expression/parse.ts).
      externalizeDeps: {
        exclude: [
          '@tensorflow/tfjs-core',
          '@tensorflow/tfjs-backend-cpu',
          'd3-scale-chromatic',
          'mathjs',
        ],
      },
      // Workers are entries of their own so the built app can start them from out/main.
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src-main/index.ts'),
          'study-worker': resolve(__dirname, 'src-main/jobs/study-worker.ts'),
          // The bench's general-landscape pool (not part of the app: electron-builder.yml).
          'bench-landscape-worker': resolve(__dirname, 'src-main/cli/bench-landscape-worker.ts'),
          'export-worker': resolve(__dirname, 'src-main/jobs/export-worker.ts'),
          'compute-worker': resolve(__dirname, 'src-main/jobs/compute-worker.ts'),
          'network-step-worker': resolve(__dirname, 'src-main/jobs/network-step-worker.ts'),
          // The `lagrange` command (bin/lagrange.mjs), beside the workers it starts.
          cli: resolve(__dirname, 'src-main/cli/lagrange.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: { input: { index: resolve(__dirname, 'src-main/preload.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [svelte()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
