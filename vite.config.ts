import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The storefront, admin and scanner are one SPA built into dist/client and served by Fastify.
export default defineConfig({
  root: 'src/client',
  plugins: [react()],
  build: { outDir: '../../dist/client', emptyOutDir: true },
  server: { proxy: { '/trpc': 'http://localhost:3000' } },
});
