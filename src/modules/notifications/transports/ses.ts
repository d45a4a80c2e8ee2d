import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { buildMime } from './mime.ts';
import { deliveryErrorFromStatus, type EmailTransport } from './types.ts';

type SesOptions = { from: string; region: string; endpoint?: string; credentials?: AwsCredentialIdentity };

/** Amazon SES v2 SendEmail with a raw MIME message. Credentials: the AWS SDK's default chain unless given. */
export function sesTransport(opts: SesOptions): EmailTransport {
  // One attempt per call: the queue owns retries (with backoff and the rate limit), not the SDK.
  const client = new SESv2Client({ region: opts.region, endpoint: opts.endpoint, credentials: opts.credentials, maxAttempts: 1 });
  return {
    name: 'ses',
    async send(email) {
      const raw = await buildMime(opts.from, email);
      try {
        const out = await client.send(
          new SendEmailCommand({ FromEmailAddress: opts.from, Destination: { ToAddresses: [email.to] }, Content: { Raw: { Data: raw } } }),
        );
        if (!out.MessageId) throw new Error('SES accepted the message without a MessageId');
        return { providerMessageId: out.MessageId };
      } catch (err) {
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        throw deliveryErrorFromStatus('SES', status, (err as Error).message, err);
      }
    },
  };
}
