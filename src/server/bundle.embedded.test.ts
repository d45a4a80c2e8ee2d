import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReason, buildServer, checkBuild, inputStamp, OUTPUTS, STAMP_FILE } from '../../scripts/build.mjs';
import { createTestDatabase } from '../testing/db.ts';
import { testRedisUrl } from '../testing/env.ts';
import { startServerProcess, type ServerProcess } from '../testing/server-process.ts';

/*
 * What `npm start`, PM2 and Docker run: the esbuild bundle (scripts/build.mjs), with plain `node`. Built
 * here into a scratch folder under node_modules/.cache (so that node finds the project's packages, which
 * stay external) rather than into the developer's dist/.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const scratch = path.join(ROOT, 'node_modules/.cache', `gk-bundle-test-${randomBytes(4).toString('hex')}`);
const dirs: string[] = [scratch];
const running: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('npm start builds only when the sources changed', () => {
  const project = mkdtempSync(path.join(tmpdir(), 'gk-build-stamp-'));
  dirs.push(project);
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    writeFileSync(path.join(project, file), text);
  };
  const built = () => {
    for (const f of OUTPUTS) write(f.endsWith('migrations') ? `${f}/0001.sql` : f, 'built');
    write(STAMP_FILE, inputStamp(project) + '\n');
  };

  beforeAll(() => {
    write('src/server/main.ts', 'export {};');
    write('src/db/migrations/0001_init.sql', 'CREATE TABLE t (id int);');
    write('package-lock.json', '{}');
  });

  it('skips the build when dist/ holds the build of exactly these sources', () => {
    built();
    expect(checkBuild(project).reason).toBeNull();
    // Editing a test changes nothing that ships.
    write('src/server/main.test.ts', 'it.todo("x")');
    expect(checkBuild(project).reason).toBeNull();
  });

  it('builds when a source, a migration or the lockfile changed, or an output or the stamp is missing', () => {
    built();
    write('src/server/main.ts', 'export const changed = 1;');
    expect(checkBuild(project).reason).toBe('sources changed since the last build');
    built();
    write('src/db/migrations/0002_more.sql', 'ALTER TABLE t ADD COLUMN n int;');
    expect(checkBuild(project).reason).toBe('sources changed since the last build');
    built();
    write('package-lock.json', '{"lockfileVersion":3}');
    expect(checkBuild(project).reason).toBe('sources changed since the last build');
    built();
    rmSync(path.join(project, 'dist/server/main.js'));
    expect(checkBuild(project).reason).toBe('missing dist/server/main.js');
    built();
    rmSync(path.join(project, STAMP_FILE));
    expect(checkBuild(project).reason).toBe('no build stamp');
  });

  it('decides from the stamp and the outputs alone', () => {
    expect(buildReason({ stamp: 'a', storedStamp: 'a', missingOutputs: [] })).toBeNull();
    expect(buildReason({ stamp: 'a', storedStamp: 'b', missingOutputs: [] })).not.toBeNull();
    expect(buildReason({ stamp: 'a', storedStamp: undefined, missingOutputs: [] })).not.toBeNull();
    expect(buildReason({ stamp: 'a', storedStamp: 'a', missingOutputs: ['dist/client/index.html'] })).not.toBeNull();
  });
});

describe('the bundle', () => {
  beforeAll(async () => {
    await buildServer({ outdir: path.join(scratch, 'dist/server') });
    // The SPA is vite's job (built by the same script); a stand-in page is enough to see it served.
    mkdirSync(path.join(scratch, 'dist/client'), { recursive: true });
    writeFileSync(path.join(scratch, 'dist/client/index.html'), '<!doctype html><title>Gatekeeper</title><div id="root"></div>');
  }, 120_000);

  const startBundle = (dataDir: string) =>
    startServerProcess({ DATABASE_URL: '', ADMIN_EMAIL: '', ADMIN_PASSWORD: '', SEED_DEMO: 'true', DATA_DIR: dataDir }, 240_000, [], {
      command: { args: ['dist/server/main.js'], cwd: scratch },
    }).then((s) => (running.push(s), s));
  const eventNames = async (url: string) =>
    ((await (await fetch(`${url}/trpc/catalog.listEvents`)).json()) as { result: { data: { name: string }[] } }).result.data.map((e) => e.name);

  it('node dist/server/main.js starts on embedded PGlite (its WASM, our migrations), serves the page, /readyz and the demo', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gk-bundle-data-'));
    dirs.push(dataDir);
    // A new data directory is unpacked from the bundle's PGlite template, then migrated and seeded.
    const server = await startBundle(dataDir);
    expect(server.output()).toContain(`embedded PGlite in ${dataDir}`);
    expect(server.output()).toMatch(/First admin \(shown once\)/);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Gatekeeper</title>');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(await eventNames(server.url)).toEqual(['Demo Night: Open Source Live']);
    expect(await server.stop()).toBe(0);

    // That database is a lasting one: a restart finds the admin and the demo, and adds neither again.
    const again = await startBundle(dataDir);
    expect(again.output()).not.toContain('First admin');
    expect(await eventNames(again.url)).toEqual(['Demo Night: Open Source Live']);
    expect(await again.stop()).toBe(0);
  }, 300_000);

  it('node dist/server/worker.js migrates PostgreSQL, starts its queue workers and stops on SIGTERM', async () => {
    const database = await createTestDatabase({ poolSize: 2 });
    try {
      const worker = spawn(process.execPath, ['dist/server/worker.js'], {
        cwd: scratch,
        env: { ...process.env, DATABASE_URL: database.url!, REDIS_URL: testRedisUrl(), QUEUE_PREFIX: `gk-bundle-${randomBytes(3).toString('hex')}`, DATA_DIR: scratch },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      worker.stdout.on('data', (d) => (out += d));
      worker.stderr.on('data', (d) => (out += d));
      const exited = new Promise<string>((resolve) => worker.once('exit', (code, signal) => resolve(`${code ?? signal}`)));
      await Promise.race([
        new Promise<void>((resolve) => worker.stdout.on('data', () => out.includes('notification worker started') && resolve())),
        exited.then((code) => Promise.reject(new Error(`worker exited with ${code}:\n${out}`))),
      ]);
      worker.kill('SIGTERM');
      expect({ exit: await exited, out }).toMatchObject({ exit: '0' });
    } finally {
      await database.drop();
    }
  }, 120_000);
});
