-- Notifications: what each outbox message became per channel, so a re-run never sends twice.

-- 'skipped': the message had nothing left to send (e.g. the order's tickets were voided meanwhile).
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_status_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_status_check
  CHECK (status IN ('pending', 'queued', 'sent', 'skipped', 'failed'));
-- The relay and the in-process dispatcher look for due rows; 'queued' rows come due again if Redis lost them.
CREATE INDEX outbox_due_idx ON outbox_messages (available_at) WHERE status IN ('pending', 'queued');
CREATE INDEX outbox_failed_idx ON outbox_messages (created_at) WHERE status = 'failed';
-- Counting a customer's recent resend requests.
CREATE INDEX outbox_order_idx ON outbox_messages ((payload->>'orderId'), created_at);

CREATE TABLE notification_deliveries (
  id uuid PRIMARY KEY,
  outbox_id uuid NOT NULL REFERENCES outbox_messages(id),
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  -- ses | twilio | file: who accepted it
  transport text,
  provider_message_id text,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  sent_at timestamptz,
  UNIQUE (outbox_id, channel)
);
