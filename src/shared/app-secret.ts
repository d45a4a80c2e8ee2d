import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { PRIVATE_DIR } from './data-dir.ts';

/**
 * APP_SECRET, or — so the embedded default needs no configuration — a secret generated once and kept in
 * DATA_DIR/secret (mode 0600). Every process that shares the data directory (server, worker) reads the
 * same file; processes on different machines must be given APP_SECRET.
 */
export function resolveAppSecret(config: Pick<Config, 'appSecret' | 'dataDir'>): string {
  if (config.appSecret) return config.appSecret;
  const file = path.resolve(config.dataDir, 'secret');
  mkdirSync(path.dirname(file), PRIVATE_DIR);
  try {
    // 'wx' fails if the file exists, so two processes starting at once cannot both write one.
    writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds no usable secret; delete it to generate a new one`);
  return secret;
}
