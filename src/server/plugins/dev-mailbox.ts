import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, sessionUser } from '../../modules/auth/index.ts';
import { listDevMessages, readDevMessageFile } from '../../modules/notifications/index.ts';
import type { AppDeps } from '../context.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  // Raw MIME as text, so the browser shows it instead of downloading it.
  eml: 'text/plain; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The messages hold customers' tickets, and development mode is also what a careless public install
 * runs in: so only a browser on this machine, or a signed-in admin, may look.
 */
async function mayRead(deps: AppDeps, req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (LOOPBACK.has(req.ip)) return true;
  const token = req.cookies[SESSION_COOKIE];
  const user = token ? await sessionUser(deps.db, token, deps.clock(), deps.config) : null;
  if (user?.role === 'admin') return true;
  await reply.code(403).send({ error: 'The dev mailbox is open to this machine and to signed-in admins only' });
  return false;
}

/** GET /dev/mailbox: the emails and SMS the file transports wrote, newest first, each viewable. */
export function registerDevMailbox(app: FastifyInstance, deps: AppDeps) {
  const { dataDir } = deps.config;
  app.get('/dev/mailbox', async (req, reply) => {
    if (!(await mayRead(deps, req, reply))) return reply;
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
    if (!(await mayRead(deps, req, reply))) return reply;
    const body = await readDevMessageFile(dataDir, req.params.name);
    if (!body) return reply.code(404).send({ error: 'No such message' });
    return reply.type(CONTENT_TYPES[req.params.name.split('.').pop()!]!).send(body);
  });
}
