import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

/**
 * Emits sw.js, the scanner's service worker: src/client/sw-template.js with this build's id and the
 * list of every file the build wrote (hashed JS/CSS/workers and the public files), so it can cache
 * them all at install — a page opened once then works with no network, also after a reload.
 */
export function scannerServiceWorker(template: string): Plugin {
  let publicDir = '';
  return {
    name: 'gatekeeper-scanner-sw',
    apply: 'build',
    // After Vite's own plugins: index.html and the emitted chunks are in the bundle by then.
    enforce: 'post',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    generateBundle(_options, bundle) {
      // The public files (manifest, icon) are copied beside the bundle, not part of it.
      const copied = publicDir && existsSync(publicDir) ? readdirSync(publicDir) : [];
      const assets = [...Object.keys(bundle), ...copied]
        .filter((f) => f !== 'index.html' && f !== 'sw.js' && !f.endsWith('.map'))
        .sort();
      const build = createHash('sha256').update(assets.join('\n')).digest('hex').slice(0, 16);
      const source = readFileSync(path.resolve(template), 'utf8')
        .replace('self.__BUILD_ID__', JSON.stringify(build))
        .replace('self.__ASSETS__', JSON.stringify(assets));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
