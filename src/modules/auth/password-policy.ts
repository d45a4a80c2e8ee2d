import { createRequire } from 'node:module';
import type * as ZxcvbnCore from '@zxcvbn-ts/core';
import type * as ZxcvbnCommon from '@zxcvbn-ts/language-common';

/**
 * Which new passwords we refuse: shorter than 10 characters (the zod schemas say so to forms), or
 * guessable — zxcvbn's estimate below 10^8 guesses (score < 3), which covers its list of ~50,000 common
 * passwords, repeats (`aaaaaaaaaa`), sequences (`1234567890`), keyboard rows (`qwertyuiop`) and the
 * email itself. 10^8 is zxcvbn's "safely unguessable" line for a slow hash like our scrypt.
 */
export const MIN_SCORE = 3;

const require = createRequire(import.meta.url);
let checker: ZxcvbnCore.ZxcvbnFactory | undefined;

// Loaded on first use and synchronously (config.ts checks ADMIN_PASSWORD in zod): the dictionaries cost
// ~17 MB of RSS that a process which never sets a password (a worker, most server starts) should not pay.
function zxcvbn(): ZxcvbnCore.ZxcvbnFactory {
  if (!checker) {
    const { ZxcvbnFactory: Factory } = require('@zxcvbn-ts/core') as typeof ZxcvbnCore;
    const common = require('@zxcvbn-ts/language-common') as typeof ZxcvbnCommon;
    checker = new Factory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  }
  return checker;
}

/** Why `password` is too easy to guess, or null when it is fine. `related`: the account's email and such. */
export function passwordWeakness(password: string, related: string[] = []): string | null {
  if (password.trim() === '') return 'A password must not be only spaces';
  // zxcvbn matches each input whole: give it the email, its local part and the words in it.
  const inputs = related.flatMap((r) => [r, r.split('@')[0]!, ...r.split(/[@.+_-]/).filter((part) => part.length >= 3)]);
  const { score } = zxcvbn().check(password, ['gatekeeper', ...inputs]);
  if (score >= MIN_SCORE) return null;
  return 'This password is too common or too easy to guess; use a longer phrase of unrelated words';
}
