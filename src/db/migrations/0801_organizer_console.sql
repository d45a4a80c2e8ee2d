-- Organizer console: searching an event's orders (newest first, keyset-paged), partial refunds.

-- Keyset paging: (created_at, id) descending within an event.
CREATE INDEX orders_event_keyset_idx ON orders (event_id, created_at DESC, id DESC);
-- Word-prefix search over the buyer's name and email ("smi" finds "Jane Smith"); built-in full text, no extension.
CREATE INDEX orders_customer_search_idx ON orders USING gin (to_tsvector('simple', customer_name || ' ' || customer_email));
-- The same over ticket holders' names (the ticket code has its unique (event_id, code) index).
CREATE INDEX tickets_holder_search_idx ON tickets USING gin (to_tsvector('simple', attendee_name));
CREATE INDEX tickets_event_idx ON tickets (event_id, issued_at, id);

-- Money given back on a payment short of a full refund (by ticket or by amount). A full refund leaves
-- the payment `refunded`; partial ones leave it `confirmed` and add up here.
CREATE TABLE refunds (
  id uuid PRIMARY KEY,
  payment_id uuid NOT NULL,
  order_id uuid NOT NULL,
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  currency char(3) NOT NULL,
  ticket_ids uuid[] NOT NULL DEFAULT '{}',
  reason text,
  actor text NOT NULL,
  -- The key the provider saw: a repeated request (double click, retry) records one refund.
  idempotency_key text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_order_idx ON refunds (order_id, created_at);

-- (An order's messages, for its organizer page, use 0200's outbox_order_idx.)

-- CSV export of an event's scans, keyset-paged. It serves everything 0300's (event_id, recorded_at)
-- index did, so that one goes: every scan inserts a row here, and maintains one index fewer.
CREATE INDEX checkins_event_keyset_idx ON checkins (event_id, recorded_at, id);
DROP INDEX checkins_event_idx;
