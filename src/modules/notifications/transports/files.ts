import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_DIR, PRIVATE_FILE } from '../../../shared/data-dir.ts';
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
      await mkdir(dir, PRIVATE_DIR);
      const name = `${stamp()}-email`;
      let preview = email.html;
      for (const img of email.inline) preview = preview.replaceAll(`cid:${img.cid}`, `data:${img.contentType};base64,${img.content.toString('base64')}`);
      await writeFile(path.join(dir, `${name}.html`), `<!-- To: ${escapeComment(email.to)} | Subject: ${escapeComment(email.subject)} -->\n${preview}`, PRIVATE_FILE);
      await writeFile(path.join(dir, `${name}.eml`), await buildMime(from, email), PRIVATE_FILE);
      return { providerMessageId: `${name}.eml` };
    },
  };
}

export function fileSmsTransport(dataDir: string): SmsTransport {
  return {
    name: 'file',
    async send(sms) {
      const dir = devOutboxDir(dataDir);
      await mkdir(dir, PRIVATE_DIR);
      const name = `${stamp()}-sms.txt`;
      await writeFile(path.join(dir, name), `To: ${sms.to}\n\n${sms.body}\n`, PRIVATE_FILE);
      return { providerMessageId: name };
    },
  };
}

// Text from customers and organizers (subject = event name) goes inside an HTML comment: without any
// `<` or `>` it can neither close the comment (`-->`, `--!>`) nor open a tag.
const escapeComment = (s: string) => s.replace(/</g, '&lt;').replace(/>/g, '&gt;');

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
