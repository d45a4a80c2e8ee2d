-- Add-on quantities at the gate: a ticket with "2 × Drink token" hands out two tokens, each once.
--
-- add_on_redemptions becomes one row per unit handed out (it was one per ticket and add-on), keyed by
-- its own id. Existing rows stay valid as they are: each was one unit.
--
-- Undo is three columns on the redemption row, not a table beside it (as checkin_undos is for
-- check-ins): a check-in's row is deleted on undo so the ticket can be claimed again, whereas a
-- redemption row stays — it is the record of who handed the unit out and when — and is undone at most
-- once, so who took it back and when fit on it. A live redemption is one with undone_at IS NULL.
--
-- Exactly once: add_on_usage holds, per ticket and add-on, how many units are out now (live
-- redemptions). Redeeming is one statement: INSERT … ON CONFLICT DO UPDATE SET redeemed = redeemed + 1
-- WHERE redeemed < quantity. PostgreSQL locks the conflicting row and judges that WHERE on its latest
-- committed version, so of two devices taking the last unit at once one gets it and the other sees
-- none left. (Counting add_on_redemptions inside the same statement would not do: a statement reads from
-- the snapshot it started with, even after waiting for a lock, and so could miss the other's unit.)
-- An undo marks its row and gives the unit back in one statement too. The row's change_xid also puts
-- the ticket into offline scanners' next snapshot delta (see migration 0600), so their units-left stay right.

ALTER TABLE add_on_redemptions ADD COLUMN id uuid;
UPDATE add_on_redemptions SET id = gen_random_uuid();
ALTER TABLE add_on_redemptions ALTER COLUMN id SET NOT NULL;
ALTER TABLE add_on_redemptions DROP CONSTRAINT add_on_redemptions_pkey;
ALTER TABLE add_on_redemptions ADD PRIMARY KEY (id);
ALTER TABLE add_on_redemptions ADD COLUMN undone_at timestamptz;
ALTER TABLE add_on_redemptions ADD COLUMN undone_device_id uuid REFERENCES devices(id);
ALTER TABLE add_on_redemptions ADD COLUMN undone_user_id uuid;
ALTER TABLE add_on_redemptions ADD CONSTRAINT add_on_redemptions_undone_by_check
  CHECK (undone_at IS NULL OR undone_device_id IS NOT NULL OR undone_user_id IS NOT NULL);
CREATE INDEX add_on_redemptions_ticket_idx ON add_on_redemptions (ticket_id, add_on_id, redeemed_at);
-- A retried request carries the same nonce: at most one redemption per scanner, nonce, ticket and add-on.
-- (Old rows are unique per ticket and add-on already, so they satisfy both.)
CREATE UNIQUE INDEX add_on_redemptions_device_nonce_idx ON add_on_redemptions (ticket_id, add_on_id, device_id, nonce)
  WHERE device_id IS NOT NULL AND nonce IS NOT NULL;
CREATE UNIQUE INDEX add_on_redemptions_user_nonce_idx ON add_on_redemptions (ticket_id, add_on_id, user_id, nonce)
  WHERE device_id IS NULL AND nonce IS NOT NULL;

CREATE TABLE add_on_usage (
  ticket_id uuid NOT NULL,
  add_on_id uuid NOT NULL,
  event_id uuid NOT NULL,
  redeemed integer NOT NULL CHECK (redeemed >= 0),
  change_xid bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
  PRIMARY KEY (ticket_id, add_on_id)
);
CREATE TRIGGER add_on_usage_change_xid BEFORE UPDATE ON add_on_usage FOR EACH ROW EXECUTE FUNCTION gate_touch_change_xid();
CREATE INDEX add_on_usage_event_change_idx ON add_on_usage (event_id, change_xid);

-- The units out so far. These rows take this migration's transaction id (not 0, "before any cursor"), so
-- scanners' next delta sends the tickets again with their units left.
INSERT INTO add_on_usage (ticket_id, add_on_id, event_id, redeemed)
SELECT ticket_id, add_on_id, min(event_id::text)::uuid, count(*)::int FROM add_on_redemptions GROUP BY ticket_id, add_on_id;
