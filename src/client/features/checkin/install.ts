/**
 * Makes /scanner an installable app that opens with no network: the web app manifest (linked from this
 * page only, so the storefront is not "installable as a scanner") and the service worker (public/sw.js
 * is written at build time by the vite plugin in scripts/vite-scanner-sw.ts). The worker's scope is
 * /scanner: it never sees the storefront's or the admin's navigations.
 */
export function installScannerApp() {
  if (!document.querySelector('link[rel="manifest"]')) {
    const link = document.createElement('link');
    link.rel = 'manifest';
    link.href = '/scanner.webmanifest';
    document.head.append(link);
  }
  // Service workers need a secure context (https, or localhost); on plain http the page stays online-only.
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('/sw.js', { scope: '/scanner' }).catch((err: unknown) => console.warn('service worker not installed', err));
  }
}
