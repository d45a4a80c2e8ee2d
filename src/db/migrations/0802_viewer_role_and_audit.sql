-- A read-only "viewer" role (box office, sponsors): the console, search, exports and the live page.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'staff', 'viewer'));

-- Every organizer action: who, when, what (the procedure and its input, secrets left out), about which event/order.
CREATE TABLE audit_log (
  id uuid PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_id uuid NOT NULL,
  actor_email text NOT NULL,
  action text NOT NULL,
  event_id uuid,
  order_id uuid,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_event_idx ON audit_log (event_id, at DESC, id DESC) WHERE event_id IS NOT NULL;
CREATE INDEX audit_log_order_idx ON audit_log (order_id, at DESC, id DESC) WHERE order_id IS NOT NULL;
