import type { NotificationsConfig } from '../../../config.ts';
import { fileEmailTransport, fileSmsTransport } from './files.ts';
import { sesTransport } from './ses.ts';
import { twilioTransport } from './twilio.ts';
import type { Transports } from './types.ts';

/** SES and Twilio when configured; otherwise (each on its own) files under DATA_DIR/outbox/. */
export function createTransports(config: NotificationsConfig, dataDir: string): Transports {
  return {
    email: config.ses ? sesTransport(config.ses) : fileEmailTransport(dataDir),
    sms: config.twilio ? twilioTransport(config.twilio) : fileSmsTransport(dataDir),
  };
}
