-- Events carry an IANA time zone: customers see the event's wall clock with its abbreviation.
-- Existing events were shown in UTC, so they keep UTC.
ALTER TABLE events ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
