import MailComposer from 'nodemailer/lib/mail-composer';
import type { EmailContent } from './types.ts';

/** The whole RFC 5322 message (multipart/alternative text + HTML, inline PNGs, attached files), built by nodemailer. */
export function buildMime(from: string, email: EmailContent): Promise<Buffer> {
  const composer = new MailComposer({
    from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    attachments: [
      ...email.inline.map((a) => ({ cid: a.cid, filename: a.filename, content: a.content, contentType: a.contentType, contentDisposition: 'inline' as const })),
      ...(email.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType, contentDisposition: 'attachment' as const })),
    ],
  });
  return composer.compile().build();
}
