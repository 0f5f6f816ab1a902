// The desktop and wallboard pages: built into dist/web, served by Relais under /app/.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  build: {
    outDir: resolve(import.meta.dirname, '../dist/web'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        desktop: resolve(import.meta.dirname, 'desktop.html'),
        wallboard: resolve(import.meta.dirname, 'wallboard.html'),
      },
    },
  },
});
