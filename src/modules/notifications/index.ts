export type {
  OutboxMessage,
  TicketMessageData,
  TicketMessageSource,
  TicketEmailExtras,
  TicketEmailExtrasSource,
  FailedNotification,
  OrderNotification,
  WaitlistOfferData,
  WaitlistOfferSource,
} from './dto.ts';
export { orderNotificationSchema } from './dto.ts';
export { enqueue, requestTicketsResend, listFailedNotifications, retryFailedNotification, notificationsOfOrder } from './service.ts';
export { processOutboxMessage, type Notifier, type Log } from './delivery.ts';
export { startDispatcher } from './dispatcher.ts';
export { createNotificationQueue, notificationQueueDepth, startRelay, startQueueWorker, warnUnlessNoEviction, QUEUE_NAME } from './queue.ts';
export { createTransports } from './transports/index.ts';
export { sesTransport } from './transports/ses.ts';
export { twilioTransport } from './transports/twilio.ts';
export { listDevMessages, readDevMessageFile } from './transports/files.ts';
export type { Transports, EmailTransport, SmsTransport, EmailAttachment } from './transports/types.ts';
export { countPending as countPendingOutbox } from './repo.ts';
