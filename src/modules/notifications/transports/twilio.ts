import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { deliveryErrorFromStatus, type SmsTransport } from './types.ts';

const TWILIO_API = 'https://api.twilio.com';

type TwilioOptions = { accountSid: string; authToken: string; from: string; apiBase?: string };

/** The SDK has no base-URL option; this request client sends its requests to `apiBase` (a stand-in) instead. */
class RebasedRequestClient extends twilio.RequestClient {
  private readonly base: string;
  constructor(base: string) {
    super();
    this.base = base.replace(/\/+$/, '');
  }
  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: opts.uri.replace(/^https:\/\/[^/]*twilio\.com/, this.base) });
  }
}

export function twilioTransport(opts: TwilioOptions): SmsTransport {
  const client = twilio(opts.accountSid, opts.authToken, {
    httpClient: opts.apiBase && opts.apiBase !== TWILIO_API ? new RebasedRequestClient(opts.apiBase) : undefined,
  });
  return {
    name: 'twilio',
    async send(sms) {
      try {
        const message = await client.messages.create({ to: sms.to, from: opts.from, body: sms.body });
        return { providerMessageId: message.sid };
      } catch (err) {
        const status = (err as { status?: number }).status;
        throw deliveryErrorFromStatus('Twilio', typeof status === 'number' ? status : undefined, (err as Error).message, err);
      }
    },
  };
}
