// The production build: the SPA (vite → dist/client) and the server and worker bundled by esbuild
// (→ dist/server/main.js, dist/server/worker.js, with the SQL migrations copied next to them).
// Plain Node ESM, so that `npm start` never loads the tsx loader (~50 MB of RSS per process).
//
//   node scripts/build.mjs                 build everything (`npm run build`)
//   node scripts/build.mjs --if-changed    only when the inputs differ from the last build's stamp
//                                          (`npm start`, `npm install`); a no-op costs a hash of src/
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the build reads: a change to any of these (tests aside) means dist/ is stale. */
const INPUT_DIRS = ['src'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'vite.config.ts', 'tsconfig.json', 'scripts/build.mjs'];
/** What `npm start` and the worker need from a build. */
export const OUTPUTS = ['dist/client/index.html', 'dist/server/main.js', 'dist/server/worker.js', 'dist/server/migrations', 'dist/server/pglite-template.tar.gz'];
export const STAMP_FILE = 'dist/.build-stamp';
const LOCK_FILE = 'dist/.build-lock';
/** A lock older than this was left by a build that died: taken over. */
const STALE_LOCK_MS = 120_000;

function* inputFiles(root) {
  for (const dir of INPUT_DIRS) {
    const abs = path.join(root, dir);
    if (!existsSync(abs)) continue;
    for (const entry of readdirSync(abs, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || /\.test\.tsx?$/.test(entry.name)) continue;
      yield path.relative(root, path.join(entry.parentPath, entry.name));
    }
  }
  for (const file of INPUT_FILES) if (existsSync(path.join(root, file))) yield file;
}

/** A hash of every build input's path and content (content, not mtime: a fresh checkout has new mtimes). */
export function inputStamp(root = ROOT) {
  const hash = createHash('sha256');
  for (const file of [...inputFiles(root)].sort()) {
    hash.update(file.split(path.sep).join('/')).update('\0').update(readFileSync(path.join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

/** Why a build is needed, or null when dist/ is the build of exactly these inputs. */
export function buildReason({ stamp, storedStamp, missingOutputs }) {
  if (missingOutputs.length > 0) return `missing ${missingOutputs.join(', ')}`;
  if (storedStamp === undefined) return 'no build stamp';
  if (storedStamp !== stamp) return 'sources changed since the last build';
  return null;
}

/** Reads the stamp and the outputs under `root` and decides (`--if-changed`). */
export function checkBuild(root = ROOT) {
  const stamp = inputStamp(root);
  const stampPath = path.join(root, STAMP_FILE);
  const storedStamp = existsSync(stampPath) ? readFileSync(stampPath, 'utf8').trim() : undefined;
  const missingOutputs = OUTPUTS.filter((f) => !existsSync(path.join(root, f)));
  return { stamp, reason: buildReason({ stamp, storedStamp, missingOutputs }) };
}

/**
 * Bundles the server and worker entry points into `outdir` (ESM for Node 20). node_modules stay
 * external: PGlite finds its WASM and data files, and zxcvbn its dictionaries, in their own packages.
 * src/db/migrate.ts reads `migrations/` next to its module, which in the bundle is `outdir`; and
 * src/db/client.ts unpacks a new embedded database from `pglite-template.tar.gz` there (an empty
 * cluster made once here by the installed PGlite, so a first start skips initdb).
 */
export async function buildServer({ root = ROOT, outdir = path.join(root, 'dist/server') } = {}) {
  const esbuild = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: 'src/server/main.ts', worker: 'src/worker/main.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // Readable stack traces without source maps at run time; maps are written for NODE_OPTIONS=--enable-source-maps.
    keepNames: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  cpSync(path.join(root, 'src/db/migrations'), path.join(outdir, 'migrations'), { recursive: true });
  await writePgliteTemplate(path.join(outdir, 'pglite-template.tar.gz'));
}

async function writePgliteTemplate(file) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite();
  await db.waitReady;
  const tar = await db.dumpDataDir('gzip');
  await db.close();
  writeFileSync(file, Buffer.from(await tar.arrayBuffer()));
}

async function buildClient(root) {
  const { build } = await import('vite');
  await build({
    root: path.join(root, 'src/client'),
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: 'warn',
    // Rolldown's "plugin callbacks took N s" note shows on any busy machine at install: not a warning for users.
    build: { rolldownOptions: { checks: { bundlerTimings: false } } },
  });
}

/**
 * Runs `fn` holding dist/.build-lock, so that two builds (`npm start` and `npm run worker` at once, test
 * files) never write dist/ together: the second waits, then usually finds the first's build up to date.
 */
async function withBuildLock(fn) {
  const lock = path.join(ROOT, LOCK_FILE);
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const age = existsSync(lock) ? Date.now() - statSync(lock).mtimeMs : 0;
      if (age > STALE_LOCK_MS) rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

async function cli(args) {
  process.chdir(ROOT);
  if (args.includes('--if-changed') && !checkBuild(ROOT).reason) return;
  await withBuildLock(() => build(args));
}

async function build(args) {
  const { stamp, reason } = checkBuild(ROOT);
  if (args.includes('--if-changed') && !reason) return;
  if (!existsSync(path.join(ROOT, 'node_modules/vite')) || !existsSync(path.join(ROOT, 'node_modules/esbuild'))) {
    // `npm ci --omit=dev` (a deployment that ships a dist/ built elsewhere): nothing to build with.
    if (args.includes('--skip-without-tools')) return console.warn('build skipped: vite/esbuild not installed (dev dependencies)');
    throw new Error('vite and esbuild are dev dependencies: run `npm install` (not --omit=dev) to build');
  }
  const started = Date.now();
  console.error(`building dist/ (${reason ?? 'requested'}) …`);
  rmSync(path.join(ROOT, STAMP_FILE), { force: true });
  await Promise.all([buildClient(ROOT), buildServer({ root: ROOT })]);
  mkdirSync(path.dirname(path.join(ROOT, STAMP_FILE)), { recursive: true });
  writeFileSync(path.join(ROOT, STAMP_FILE), stamp + '\n');
  console.error(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).catch((err) => {
    console.error('build failed:', err);
    process.exit(1);
  });
}
