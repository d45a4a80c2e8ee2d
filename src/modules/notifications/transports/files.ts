import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildMime } from './mime.ts';
import type { EmailTransport, SmsTransport } from './types.ts';

/*
 * The embedded default's "providers": each message becomes a file under DATA_DIR/outbox/ — the exact
 * .eml an SES send would carry (plus an .html preview with the images inlined) and a .txt per SMS.
 */

export const devOutboxDir = (dataDir: string) => path.resolve(dataDir, 'outbox');

const FILE_NAME = /^[\w-]+\.(eml|html|txt)$/;

let seq = 0;
const stamp = () => `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++seq}`;

export function fileEmailTransport(dataDir: string, from = 'Gatekeeper <tickets@localhost>'): EmailTransport {
  return {
    name: 'file',
    async send(email) {
      const dir = devOutboxDir(dataDir);
      await mkdir(dir, { recursive: true });
      const name = `${stamp()}-email`;
      let preview = email.html;
      for (const img of email.inline) preview = preview.replaceAll(`cid:${img.cid}`, `data:${img.contentType};base64,${img.content.toString('base64')}`);
      await writeFile(path.join(dir, `${name}.html`), `<!-- To: ${escapeComment(email.to)} | Subject: ${escapeComment(email.subject)} -->\n${preview}`);
      await writeFile(path.join(dir, `${name}.eml`), await buildMime(from, email));
      return { providerMessageId: `${name}.eml` };
    },
  };
}

export function fileSmsTransport(dataDir: string): SmsTransport {
  return {
    name: 'file',
    async send(sms) {
      const dir = devOutboxDir(dataDir);
      await mkdir(dir, { recursive: true });
      const name = `${stamp()}-sms.txt`;
      await writeFile(path.join(dir, name), `To: ${sms.to}\n\n${sms.body}\n`);
      return { providerMessageId: name };
    },
  };
}

const escapeComment = (s: string) => s.replace(/--/g, '- -');

export type DevMessage = { name: string; kind: 'email' | 'sms'; preview: string; raw: string };

/** What the dev outbox holds, newest first. */
export async function listDevMessages(dataDir: string): Promise<DevMessage[]> {
  const names = await readdir(devOutboxDir(dataDir)).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith('.eml') || n.endsWith('.txt'))
    .sort()
    .reverse()
    .map((n) =>
      n.endsWith('.eml')
        ? { name: n, kind: 'email' as const, preview: n.replace(/\.eml$/, '.html'), raw: n }
        : { name: n, kind: 'sms' as const, preview: n, raw: n },
    );
}

/** One file of the dev outbox, or null for any name that is not one of ours (no path tricks). */
export async function readDevMessageFile(dataDir: string, name: string): Promise<Buffer | null> {
  if (!FILE_NAME.test(name)) return null;
  return readFile(path.join(devOutboxDir(dataDir), name)).catch(() => null);
}
