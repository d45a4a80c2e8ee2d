/*
 * The scanner's service worker (scope /scanner), written to dist/client/sw.js at build time by
 * scripts/vite-scanner-sw.ts, which replaces the two placeholders below with the build's id and its
 * asset list. It keeps the app shell and every built asset in a cache named after the build, so
 * /scanner opens and reloads with no network at all. The API (/trpc) is never cached: the page
 * decides itself what to do offline (its IndexedDB snapshot).
 */
const BUILD = self.__BUILD_ID__;
const ASSETS = self.__ASSETS__;
const CACHE = `gk-scanner-${BUILD}`;
/** The SPA's one page, stored under the scanner's URL (the server sends it for any client route). */
const SHELL = '/scanner';
/** A navigation that has not answered by then is served from the cache (venue Wi-Fi that hangs). */
const NAVIGATION_TIMEOUT_MS = 3000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(ASSETS.map((a) => `/${a}`));
      const shell = await fetch('/index.html', { cache: 'no-cache' });
      if (!shell.ok) throw new Error(`app shell: ${shell.status}`);
      await cache.put(SHELL, shell);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('gk-scanner-') && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

const timeout = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms));

async function navigation(request) {
  const cache = await caches.open(CACHE);
  try {
    // Network first: a new deployment's page wins when the server is reachable.
    const response = await Promise.race([fetch(request), timeout(NAVIGATION_TIMEOUT_MS)]);
    if (response.ok) await cache.put(SHELL, response.clone());
    return response;
  } catch {
    return (await cache.match(SHELL)) ?? Response.error();
  }
}

async function asset(request) {
  const cached = await caches.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  // Built assets carry a content hash in their names: safe to keep once fetched.
  if (response.ok && new URL(request.url).pathname.startsWith('/assets/')) (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/trpc')) return;
  event.respondWith(request.mode === 'navigate' ? navigation(request) : asset(request));
});
