import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

/*
 * DATA_DIR holds customers' data (the embedded database, the dev outbox) and secrets (DATA_DIR/secret,
 * the database's ticket signing keys): readable by the owner only.
 */

export const PRIVATE_DIR = { recursive: true, mode: 0o700 } as const;
export const PRIVATE_FILE = { mode: 0o600 } as const;

/**
 * For the entry points, before anything is written: every file and directory this process creates is
 * owner-only (umask 077), then `restrictDataDir`. Returns the paths that could not be changed.
 */
export function useOwnerOnlyFiles(dataDir: string): string[] {
  process.umask(0o077);
  return restrictDataDir(dataDir);
}

/**
 * Makes an existing DATA_DIR tree owner-only: directories 0700, files 0600. Needed beyond the umask for
 * an install made by an older version, and for PGlite, which creates its files 0666 whatever the umask
 * (files it adds while running stay so, but inside a 0700 directory nobody else can reach them).
 * Symbolic links are not followed. Returns the paths it could not change (owned by someone else).
 */
export function restrictDataDir(dataDir: string): string[] {
  const failed: string[] = [];
  const stack = [path.resolve(dataDir)];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let stat;
    try {
      stat = lstatSync(current);
    } catch {
      continue; // not there (yet), or gone meanwhile
    }
    if (stat.isSymbolicLink()) continue;
    const mode = stat.isDirectory() ? PRIVATE_DIR.mode : PRIVATE_FILE.mode;
    try {
      if ((stat.mode & 0o777) !== mode) chmodSync(current, mode);
    } catch {
      failed.push(current);
    }
    if (stat.isDirectory()) {
      try {
        for (const name of readdirSync(current)) stack.push(path.join(current, name));
      } catch {
        failed.push(current);
      }
    }
  }
  return failed;
}
