import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Our layout is src-main / src-renderer / src-shared, not electron-vite's src/main etc., so every
// entry is named explicitly.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          // The desktop app's main process.
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          // The `rolecall` command: plain Node, no Electron. package.json "bin" points here.
          cli: resolve(__dirname, 'src-main/cli/index.ts'),
        },
        output: {
          banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
          // Shared and lazily loaded chunks sit beside the entries, not in a chunks/ folder, so
          // `__dirname` is out/main in every module: paths such as ../renderer and ../preload
          // mean the same wherever the bundler puts the code that uses them.
          chunkFileNames: '[name]-[hash].js',
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() packages, so everything it uses is bundled in.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/electron/preload.ts') },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-renderer/index.html') },
      },
    },
  },
});
