-- The live control room: every committed scan, undo or ticket change wakes the listeners of its event
-- on every server process (LISTEN gk_live; payload: the event id). One NOTIFY per statement and event,
-- and PostgreSQL folds repeats within a transaction, so a busy gate costs little.
CREATE FUNCTION gk_notify_live() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gk_live', e.event_id::text) FROM (SELECT DISTINCT event_id FROM changed) e;
  RETURN NULL;
END $$;

CREATE TRIGGER checkins_notify_live AFTER INSERT ON checkins
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gk_notify_live();
CREATE TRIGGER checkin_undos_notify_live AFTER INSERT ON checkin_undos
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gk_notify_live();
CREATE TRIGGER tickets_insert_notify_live AFTER INSERT ON tickets
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gk_notify_live();
CREATE TRIGGER tickets_update_notify_live AFTER UPDATE ON tickets
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gk_notify_live();
