export type EmailContent = {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Inline images, referenced from the HTML as cid:<cid>. */
  inline: { cid: string; filename: string; content: Buffer; contentType: string }[];
  /** Files the customer keeps (the tickets PDF, a calendar entry). */
  attachments?: EmailAttachment[];
};

export type EmailAttachment = { filename: string; content: Buffer; contentType: string };

export type SmsContent = { to: string; body: string };

/** `name` is recorded with the delivery; `providerMessageId` is the provider's id for what it accepted. */
export type EmailTransport = { name: string; send(email: EmailContent): Promise<{ providerMessageId: string }> };
export type SmsTransport = { name: string; send(sms: SmsContent): Promise<{ providerMessageId: string }> };
export type Transports = { email: EmailTransport; sms: SmsTransport };

/**
 * A send that did not go through. `permanent`: trying again cannot help (address rejected, bad request),
 * so the message fails at once instead of burning its retries.
 */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  constructor(message: string, opts: { permanent: boolean; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = 'DeliveryError';
    this.permanent = opts.permanent;
  }
}

/** HTTP status → retry or not: throttling (429), server errors and no answer at all are worth retrying. */
export function deliveryErrorFromStatus(provider: string, status: number | undefined, message: string, cause: unknown): DeliveryError {
  const permanent = status !== undefined && status >= 400 && status < 500 && status !== 429 && status !== 408;
  return new DeliveryError(`${provider}${status ? ` ${status}` : ''}: ${message}`, { permanent, cause });
}
