import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { scannerServiceWorker } from './scripts/vite-scanner-sw.ts';

// The storefront, admin and scanner are one SPA built into dist/client and served by Fastify.
export default defineConfig({
  root: 'src/client',
  plugins: [react(), scannerServiceWorker('src/client/sw-template.js')],
  build: { outDir: '../../dist/client', emptyOutDir: true },
  server: { proxy: { '/trpc': 'http://localhost:3000' } },
});
