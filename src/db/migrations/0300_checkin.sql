-- Check-in at the gate: scanner devices, every scan attempt, the one current check-in per ticket,
-- undos, add-on redemptions, and the limiter on guessing 6-digit codes.
-- No foreign keys to other modules' tables (tickets, events, users): modules meet through code.

-- A scanner's revocable token, bound to one event. Only the token's hash is stored.
CREATE TABLE devices (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX devices_event_idx ON devices (event_id, created_at);

-- Every scan attempt, successful or not. scanned_at comes from the device, recorded_at from the server.
CREATE TABLE checkins (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL,
  ticket_id uuid,
  device_id uuid REFERENCES devices(id),
  user_id uuid,
  method text NOT NULL CHECK (method IN ('qr', 'code')),
  result text NOT NULL CHECK (result IN ('ok', 'already_checked_in', 'invalid', 'wrong_event', 'not_paid', 'cancelled')),
  reason text,
  nonce text,
  scanned_at timestamptz,
  recorded_at timestamptz NOT NULL,
  CHECK (device_id IS NOT NULL OR user_id IS NOT NULL)
);
CREATE INDEX checkins_ticket_idx ON checkins (ticket_id, recorded_at) WHERE ticket_id IS NOT NULL;
CREATE INDEX checkins_event_idx ON checkins (event_id, recorded_at);
-- A retried request carries the same nonce: at most one attempt per scanner and nonce.
CREATE UNIQUE INDEX checkins_device_nonce_idx ON checkins (device_id, nonce) WHERE device_id IS NOT NULL AND nonce IS NOT NULL;
CREATE UNIQUE INDEX checkins_user_nonce_idx ON checkins (user_id, nonce) WHERE device_id IS NULL AND nonce IS NOT NULL;

-- Who is inside: at most one row per ticket (the primary key makes check-in exactly once).
CREATE TABLE ticket_checkins (
  ticket_id uuid PRIMARY KEY,
  event_id uuid NOT NULL,
  ticket_type_id uuid NOT NULL,
  checkin_id uuid NOT NULL,
  checked_in_at timestamptz NOT NULL,
  device_id uuid REFERENCES devices(id),
  user_id uuid
);
CREATE INDEX ticket_checkins_event_idx ON ticket_checkins (event_id, ticket_type_id);

-- A check-in taken back by staff: which one, who, when.
CREATE TABLE checkin_undos (
  id uuid PRIMARY KEY,
  ticket_id uuid NOT NULL,
  event_id uuid NOT NULL,
  checkin_id uuid NOT NULL,
  checked_in_at timestamptz NOT NULL,
  undone_at timestamptz NOT NULL,
  device_id uuid REFERENCES devices(id),
  user_id uuid,
  CHECK (device_id IS NOT NULL OR user_id IS NOT NULL)
);
CREATE INDEX checkin_undos_ticket_idx ON checkin_undos (ticket_id, undone_at);

-- An add-on (meal voucher, drink) handed out: once per ticket and add-on.
CREATE TABLE add_on_redemptions (
  ticket_id uuid NOT NULL,
  add_on_id uuid NOT NULL,
  event_id uuid NOT NULL,
  redeemed_at timestamptz NOT NULL,
  device_id uuid REFERENCES devices(id),
  user_id uuid,
  nonce text,
  PRIMARY KEY (ticket_id, add_on_id)
);

-- Misses on the 6-digit code path per scanner and per IP, shared by every server process.
CREATE TABLE code_guess_limits (
  key text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  misses integer NOT NULL,
  blocked_until timestamptz
);
