import type { FastifyInstance } from 'fastify';
import { listDevMessages, readDevMessageFile } from '../../modules/notifications/index.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  // Raw MIME as text, so the browser shows it instead of downloading it.
  eml: 'text/plain; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

/** GET /dev/mailbox: the emails and SMS the file transports wrote, newest first, each viewable. */
export function registerDevMailbox(app: FastifyInstance, dataDir: string) {
  app.get('/dev/mailbox', async (_req, reply) => {
    const messages = await listDevMessages(dataDir);
    const rows = messages
      .map((m) => {
        const name = escapeHtml(m.name);
        const raw = m.kind === 'email' ? ` · <a href="/dev/mailbox/${escapeHtml(m.raw)}">raw .eml</a>` : '';
        return `<li>${m.kind === 'email' ? 'Email' : 'SMS'}: <a href="/dev/mailbox/${escapeHtml(m.preview)}">${name}</a>${raw}</li>`;
      })
      .join('\n');
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html><head><title>Dev mailbox</title></head><body style="font-family:sans-serif">` +
          `<h1>Dev mailbox</h1><p>What would have been sent (no email or SMS provider is configured). Files: DATA_DIR/outbox/</p>` +
          `${messages.length ? `<ul>${rows}</ul>` : '<p>Nothing sent yet.</p>'}</body></html>`,
      );
  });
  app.get<{ Params: { name: string } }>('/dev/mailbox/:name', async (req, reply) => {
    const body = await readDevMessageFile(dataDir, req.params.name);
    if (!body) return reply.code(404).send({ error: 'No such message' });
    return reply.type(CONTENT_TYPES[req.params.name.split('.').pop()!]!).send(body);
  });
}
