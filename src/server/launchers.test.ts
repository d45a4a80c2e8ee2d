import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_SERVER } from '../testing/server-process.ts';

/*
 * `npm start`, PM2, Docker and the load test (BUNDLED_SERVER) start the same bundle with the same node
 * flags — the heap cap the performance figures were measured with. One of them drifting would make the
 * figures describe a server nobody runs.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCRIPT = 'dist/server/main.js';

/** The node flags of a command that runs the server bundle (the words between `node` and the script). */
function flagsBefore(words: string[]): string[] {
  const at = words.indexOf(SCRIPT);
  expect(at, `${words.join(' ')} runs ${SCRIPT}`).toBeGreaterThan(0);
  return words.slice(words.lastIndexOf('node', at) + 1, at);
}

describe('server launchers', () => {
  it('npm start, PM2, the Dockerfile and the load test give the server the same node flags', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const npmStart = flagsBefore(pkg.scripts.start!.split(/\s+/));

    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'))?.[1];
    const docker = flagsBefore(JSON.parse(cmd ?? '[]') as string[]);

    // PM2's file reads SERVER_HEAP_MB when loaded: load it without one, as a default install does.
    const heapMb = process.env.SERVER_HEAP_MB;
    delete process.env.SERVER_HEAP_MB;
    let ecosystem: { apps: { name: string; script: string; node_args?: string[] }[] };
    try {
      ecosystem = createRequire(import.meta.url)(path.join(ROOT, 'ecosystem.config.cjs')) as typeof ecosystem;
    } finally {
      if (heapMb !== undefined) process.env.SERVER_HEAP_MB = heapMb;
    }
    const pm2 = ecosystem.apps.find((app) => app.script === SCRIPT);

    expect(npmStart).toContain('--max-old-space-size=128');
    expect(docker).toEqual(npmStart);
    expect(pm2?.node_args).toEqual(npmStart);
    expect(BUNDLED_SERVER.flags).toEqual(npmStart);
  });
});
