-- Auth hardening: sessions that end when idle, and a per-account lockout after failed sign-ins.

-- When the session was last used (refreshed at most once a minute). Existing sessions count from now.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();

-- Consecutive failed sign-ins per email address, known or not (so a lockout reveals nothing about which
-- accounts exist). Keyed by the SHA-256 of the lower-cased email: no typed-in addresses are kept.
CREATE TABLE login_failures (
  email_hash text PRIMARY KEY,
  failures integer NOT NULL CHECK (failures > 0),
  locked_until timestamptz,
  last_failed_at timestamptz NOT NULL
);
CREATE INDEX login_failures_last_failed_idx ON login_failures (last_failed_at);
