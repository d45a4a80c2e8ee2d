-- Abuse limits (issue 10): a per-event cap on tickets per order, the countries an event sends SMS to,
-- and what the pending-hold caps count by.

-- 10 tickets per order unless the organizer raises it (one buyer can't take a block of seats by default).
ALTER TABLE events ADD COLUMN max_tickets_per_order integer NOT NULL DEFAULT 10
  CHECK (max_tickets_per_order BETWEEN 1 AND 100);
-- ISO 3166 alpha-2 codes whose phone numbers get tickets by SMS; empty = no SMS (each text costs money
-- and an open SMS form is a toll-fraud target). Existing events too start with none: the organizer enables
-- the countries they sell to (README, "Abuse limits").
ALTER TABLE events ADD COLUMN sms_countries text[] NOT NULL DEFAULT '{}';

-- A keyed hash of the address an order was placed from (never the address itself): pending holds
-- are capped per address, and per email.
ALTER TABLE orders ADD COLUMN origin_hash text;
CREATE INDEX orders_pending_email_idx ON orders (event_id, customer_email) WHERE status = 'pending';
CREATE INDEX orders_pending_origin_idx ON orders (event_id, origin_hash) WHERE status = 'pending';
