import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Apple Wallet signing material (see README "Wallet passes" for how to obtain each file). */
export type AppleWalletConfig = {
  passTypeId: string;
  teamId: string;
  /** Shown on the pass and in Wallet's "from" line. */
  organizationName: string;
  certPem: string;
  keyPem: string;
  keyPassphrase?: string;
  wwdrPem: string;
};

/** Google Wallet issuer and the service account that signs save links. */
export type GoogleWalletConfig = { issuerId: string; clientEmail: string; privateKeyPem: string };

export type PassesConfig = { apple?: AppleWalletConfig; google?: GoogleWalletConfig };

export type PassesEnv = {
  APPLE_PASS_TYPE_ID?: string;
  APPLE_TEAM_ID?: string;
  APPLE_PASS_CERT?: string;
  APPLE_PASS_KEY?: string;
  APPLE_PASS_KEY_PASSPHRASE?: string;
  APPLE_WWDR_CERT?: string;
  APPLE_PASS_ORGANIZATION?: string;
  GOOGLE_WALLET_ISSUER_ID?: string;
  GOOGLE_WALLET_SERVICE_ACCOUNT?: string;
};

function readText(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
}

function certificate(name: string, path: string): string {
  const pem = readText(name, path);
  try {
    new X509Certificate(pem);
  } catch (err) {
    throw new Error(`${name}: ${path} is not a PEM certificate (convert a .cer with: openssl x509 -inform der -in file.cer -out file.pem)`, { cause: err });
  }
  return pem;
}

function apple(env: PassesEnv): AppleWalletConfig | undefined {
  const parts = { APPLE_PASS_TYPE_ID: env.APPLE_PASS_TYPE_ID, APPLE_TEAM_ID: env.APPLE_TEAM_ID, APPLE_PASS_CERT: env.APPLE_PASS_CERT, APPLE_PASS_KEY: env.APPLE_PASS_KEY, APPLE_WWDR_CERT: env.APPLE_WWDR_CERT };
  const missing = Object.entries(parts).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length === 5) return undefined;
  if (missing.length > 0) throw new Error(`Apple Wallet needs all of APPLE_PASS_TYPE_ID, APPLE_TEAM_ID, APPLE_PASS_CERT, APPLE_PASS_KEY and APPLE_WWDR_CERT; missing: ${missing.join(', ')}`);
  const certPem = certificate('APPLE_PASS_CERT', env.APPLE_PASS_CERT!);
  const keyPem = readText('APPLE_PASS_KEY', env.APPLE_PASS_KEY!);
  let key;
  try {
    key = createPrivateKey({ key: keyPem, format: 'pem', passphrase: env.APPLE_PASS_KEY_PASSPHRASE });
  } catch (err) {
    throw new Error('APPLE_PASS_KEY: not a PEM private key, or APPLE_PASS_KEY_PASSPHRASE does not open it', { cause: err });
  }
  if (!new X509Certificate(certPem).checkPrivateKey(key)) throw new Error('APPLE_PASS_KEY does not belong to the certificate in APPLE_PASS_CERT');
  return {
    passTypeId: env.APPLE_PASS_TYPE_ID!,
    teamId: env.APPLE_TEAM_ID!,
    organizationName: env.APPLE_PASS_ORGANIZATION || 'Gatekeeper Tickets',
    certPem,
    keyPem,
    keyPassphrase: env.APPLE_PASS_KEY_PASSPHRASE,
    wwdrPem: certificate('APPLE_WWDR_CERT', env.APPLE_WWDR_CERT!),
  };
}

function google(env: PassesEnv): GoogleWalletConfig | undefined {
  const { GOOGLE_WALLET_ISSUER_ID: issuerId, GOOGLE_WALLET_SERVICE_ACCOUNT: path } = env;
  if (!issuerId && !path) return undefined;
  if (!issuerId || !path) throw new Error('Google Wallet needs both GOOGLE_WALLET_ISSUER_ID and GOOGLE_WALLET_SERVICE_ACCOUNT');
  if (!/^\d+$/.test(issuerId)) throw new Error('GOOGLE_WALLET_ISSUER_ID is the number shown in the Google Pay & Wallet console');
  let key: { client_email?: unknown; private_key?: unknown };
  try {
    key = JSON.parse(readText('GOOGLE_WALLET_SERVICE_ACCOUNT', path));
  } catch (err) {
    throw err instanceof SyntaxError ? new Error(`GOOGLE_WALLET_SERVICE_ACCOUNT: ${path} is not JSON`, { cause: err }) : err;
  }
  if (typeof key.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw new Error('GOOGLE_WALLET_SERVICE_ACCOUNT: not a service account key (needs client_email and private_key)');
  }
  try {
    createPrivateKey(key.private_key);
  } catch (err) {
    throw new Error('GOOGLE_WALLET_SERVICE_ACCOUNT: its private_key is not a PEM private key', { cause: err });
  }
  return { issuerId, clientEmail: key.client_email, privateKeyPem: key.private_key };
}

/** Reads and checks the wallet credentials once, at start; throws a message naming the variable at fault. */
export function loadPassesConfig(env: PassesEnv): PassesConfig {
  return { apple: apple(env), google: google(env) };
}
