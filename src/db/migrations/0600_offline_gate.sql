-- Offline-first gate: change tracking for device snapshots, exits and re-entry, offline-scan conflicts,
-- per-event gate settings.
--
-- Change tracking. A device keeps a snapshot of the event's tickets and asks for "what changed since my
-- cursor" every few seconds. A timestamp or a plain sequence cursor can skip rows: a transaction that
-- took value 100 may commit after one that took 101 was already read, and a reader that moved its
-- cursor to 101 never sees 100. Instead every tracked row carries the id of the transaction that last
-- wrote it (change_xid = pg_current_xact_id(), a 64-bit id that never wraps), and a reader answers
-- with the cursor pg_snapshot_xmin(pg_current_snapshot()) taken in the same statement: every
-- transaction with an id below it has finished, so its rows were visible to that read, and anything
-- not yet visible has an id >= the cursor and is sent next time. The cost is an overlap (rows of
-- transactions still open somewhere in the cluster during the read are sent again), never a gap.
-- Inserts take the id from the column default, updates from a trigger, so no write path can forget it.
-- Deletions (an undone check-in) are seen through the row the undo inserts in checkin_undos.
-- Rows that exist before this migration get 0 ("before any cursor"): the column is added with a constant
-- default (no table rewrite, no long lock on a big tickets table), then the default becomes the xid.

CREATE FUNCTION gate_touch_change_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_xid := pg_current_xact_id()::text::bigint;
  RETURN NEW;
END
$$;

ALTER TABLE tickets ADD COLUMN change_xid bigint NOT NULL DEFAULT 0;
ALTER TABLE tickets ALTER COLUMN change_xid SET DEFAULT (pg_current_xact_id()::text::bigint);
CREATE TRIGGER tickets_change_xid BEFORE UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION gate_touch_change_xid();
CREATE INDEX tickets_event_change_idx ON tickets (event_id, change_xid);
-- A full snapshot pages through an event's tickets by id.
CREATE INDEX tickets_event_id_idx ON tickets (event_id, id);

-- Exits: a checked-in ticket whose holder went out has exited_at set; `exits` counts how often.
ALTER TABLE ticket_checkins ADD COLUMN exited_at timestamptz;
ALTER TABLE ticket_checkins ADD COLUMN exits integer NOT NULL DEFAULT 0;
ALTER TABLE ticket_checkins ADD COLUMN change_xid bigint NOT NULL DEFAULT 0;
ALTER TABLE ticket_checkins ALTER COLUMN change_xid SET DEFAULT (pg_current_xact_id()::text::bigint);
CREATE TRIGGER ticket_checkins_change_xid BEFORE UPDATE ON ticket_checkins FOR EACH ROW EXECUTE FUNCTION gate_touch_change_xid();
CREATE INDEX ticket_checkins_event_change_idx ON ticket_checkins (event_id, change_xid);

ALTER TABLE checkin_undos ADD COLUMN change_xid bigint NOT NULL DEFAULT 0;
ALTER TABLE checkin_undos ALTER COLUMN change_xid SET DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX checkin_undos_event_change_idx ON checkin_undos (event_id, change_xid);

-- Attempts gain a direction (entry or exit scan) and whether the device judged them offline first.
ALTER TABLE checkins ADD COLUMN direction text NOT NULL DEFAULT 'in' CHECK (direction IN ('in', 'out'));
ALTER TABLE checkins ADD COLUMN offline boolean NOT NULL DEFAULT false;
ALTER TABLE checkins DROP CONSTRAINT checkins_result_check;
ALTER TABLE checkins ADD CONSTRAINT checkins_result_check
  CHECK (result IN ('ok', 'already_checked_in', 'invalid', 'wrong_event', 'not_paid', 'cancelled', 'not_inside'));

-- Two devices admitted one ticket while apart: the first check-in the server recorded stays; the
-- later upload is kept here with both sides for the organizer. One per uploading device and nonce,
-- so a resent upload records it once.
CREATE TABLE checkin_conflicts (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL,
  ticket_id uuid NOT NULL,
  checkin_id uuid NOT NULL,
  device_id uuid NOT NULL REFERENCES devices(id),
  nonce text NOT NULL,
  scanned_at timestamptz NOT NULL,
  holder_checkin_id uuid NOT NULL,
  holder_device_id uuid REFERENCES devices(id),
  holder_user_id uuid,
  holder_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  UNIQUE (device_id, nonce)
);
CREATE INDEX checkin_conflicts_event_idx ON checkin_conflicts (event_id, recorded_at);

-- Per-event gate rules; no row = the defaults (no re-entry, unknown tickets red when offline).
CREATE TABLE gate_settings (
  event_id uuid PRIMARY KEY,
  allow_reentry boolean NOT NULL DEFAULT false,
  admit_unknown_offline boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL
);
