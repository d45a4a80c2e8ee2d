-- Waiting lists: people waiting for a sold-out ticket type, in the order they joined (seq). When seats
-- come back the next in line gets an offer: the seats are held for them (a hold in `holds` whose owner
-- id is the entry's id, like a pending order's) until offer_expires_at, then pass to the next.
CREATE TABLE waitlist_entries (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL,
  event_id uuid NOT NULL,
  ticket_type_id uuid NOT NULL,
  name text NOT NULL,
  email text NOT NULL,
  phone text,
  quantity integer NOT NULL CHECK (quantity > 0),
  status text NOT NULL CHECK (status IN ('waiting', 'offered', 'claimed', 'lapsed', 'removed')),
  -- How long an offer to this entry holds its seats (the setting when they joined).
  offer_hours integer NOT NULL CHECK (offer_hours > 0),
  offered_at timestamptz,
  offer_expires_at timestamptz,
  order_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX waitlist_line_idx ON waitlist_entries (ticket_type_id, seq) WHERE status IN ('waiting', 'offered');
CREATE INDEX waitlist_event_idx ON waitlist_entries (event_id, seq);
-- One place in a line per email.
CREATE UNIQUE INDEX waitlist_one_per_email_idx ON waitlist_entries (ticket_type_id, email) WHERE status IN ('waiting', 'offered');
