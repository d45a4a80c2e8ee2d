import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Serves the built SPA (dist/client) and answers unknown GETs with index.html so client routes load. */
export async function registerClient(app: FastifyInstance, clientDir: string) {
  const root = path.resolve(clientDir);
  if (!existsSync(path.join(root, 'index.html'))) {
    app.log.warn({ root }, 'client not built: run `npm run build:client` (npm start does it)');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: 'index.html',
    setHeaders(reply, filePath) {
      // The scanner's service worker and the page it caches must be revalidated on every load, or a
      // phone could keep an old worker (and old app) for as long as an HTTP cache allows.
      const name = path.basename(filePath);
      if (name === 'sw.js' || name === 'index.html') reply.header('cache-control', 'no-cache');
      if (name === 'sw.js') reply.header('service-worker-allowed', '/scanner');
    },
  });
  app.setNotFoundHandler((req, reply) => {
    const isPage = req.method === 'GET' && !req.url.startsWith('/trpc') && (req.headers.accept ?? '').includes('text/html');
    if (isPage) return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
    return reply.code(404).send({ error: 'Not Found', message: `${req.method} ${req.url.split('?')[0]} does not exist` });
  });
}
