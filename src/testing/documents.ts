import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** A PDF's pages as a reader sees them: the text, and what every image on the page decodes to as a QR code. */
export async function pdfPages(pdf: Buffer): Promise<{ text: string; qrCodes: string[] }[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isOffscreenCanvasSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const text = (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
    const ops = await page.getOperatorList();
    const qrCodes: string[] = [];
    for (const [i, fn] of ops.fnArray.entries()) {
      if (fn !== OPS.paintImageXObject) continue;
      // Decoded images arrive from pdf.js's worker side; the callback form waits for them.
      const img = await new Promise<PdfImage>((resolve) => page.objs.get(ops.argsArray[i][0], resolve));
      const code = jsQR(toRgba(img), img.width, img.height);
      if (code) qrCodes.push(code.data);
    }
    pages.push({ text, qrCodes });
  }
  await doc.destroy();
  return pages;
}

type PdfImage = { width: number; height: number; data: Uint8ClampedArray; kind: number };

// pdf.js image kinds: 1 = 1 bit grey, 2 = RGB, 3 = RGBA.
function toRgba(img: PdfImage): Uint8ClampedArray {
  const pixels = img.width * img.height;
  if (img.kind === 3) return img.data;
  const out = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    let v: [number, number, number];
    if (img.kind === 2) v = [img.data[p * 3]!, img.data[p * 3 + 1]!, img.data[p * 3 + 2]!];
    else {
      const row = Math.floor(p / img.width), col = p % img.width, stride = Math.ceil(img.width / 8);
      const bit = (img.data[row * stride + (col >> 3)]! >> (7 - (col & 7))) & 1;
      v = bit ? [255, 255, 255] : [0, 0, 0];
    }
    out.set([...v, 255], p * 4);
  }
  return out;
}

const openssl = (dir: string, ...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/**
 * Apple Wallet files as the APPLE_* variables expect them, from a chain made here with openssl: a CA
 * standing in for Apple's WWDR intermediate, and a pass type certificate it signed (key encrypted).
 */
export function testAppleCredentials(passphrase = 'test pass phrase') {
  const dir = mkdtempSync(join(tmpdir(), 'gk-apple-'));
  const subj = (cn: string) => ['-subj', `/CN=${cn}/O=Gatekeeper Test`];
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'wwdr.key', '-out', 'wwdr.pem', '-days', '2', ...subj('Test WWDR'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-passout', `pass:${passphrase}`, '-keyout', 'pass.key', '-out', 'pass.csr', ...subj('Pass Type ID: pass.test.gatekeeper'));
  writeFileSync(join(dir, 'ext.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n');
  openssl(dir, 'x509', '-req', '-in', 'pass.csr', '-CA', 'wwdr.pem', '-CAkey', 'wwdr.key', '-CAcreateserial', '-out', 'pass.pem', '-days', '2', '-extfile', 'ext.cnf');
  return {
    dir,
    env: {
      APPLE_PASS_TYPE_ID: 'pass.test.gatekeeper',
      APPLE_TEAM_ID: 'TEAM123456',
      APPLE_PASS_CERT: join(dir, 'pass.pem'),
      APPLE_PASS_KEY: join(dir, 'pass.key'),
      APPLE_PASS_KEY_PASSPHRASE: passphrase,
      APPLE_WWDR_CERT: join(dir, 'wwdr.pem'),
    },
  };
}

/** A Google service account key file (the JSON Google hands out) with a key made here, and its public half. */
export function testGoogleCredentials(issuerId = '3388000000012345678') {
  const dir = mkdtempSync(join(tmpdir(), 'gk-google-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const path = join(dir, 'service-account.json');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  writeFileSync(path, JSON.stringify({ type: 'service_account', client_email: 'wallet@test-project.iam.gserviceaccount.com', private_key: pem }));
  return { publicKey, env: { GOOGLE_WALLET_ISSUER_ID: issuerId, GOOGLE_WALLET_SERVICE_ACCOUNT: path } };
}
