-- Load tests against a running install (issue 16): the event `npm run loadtest -- --target …` creates is
-- marked, so it is left out of the storefront, of customer messages and of business figures, and it alone
-- may be removed by `admin.removeLoadTestEvent`. The flag is set at creation and never changes.
ALTER TABLE events ADD COLUMN load_test boolean NOT NULL DEFAULT false;
-- SHA-256 of the event's load-test key (the key itself is shown once, to the admin who made the event):
-- calls carrying it are exempt from per-address and per-recipient limits for this event only. Cleared
-- when the event is removed, so the key stops working.
ALTER TABLE events ADD COLUMN load_test_key_hash text;
ALTER TABLE events ADD CONSTRAINT events_load_test_key_only_for_load_tests CHECK (load_test OR load_test_key_hash IS NULL);
CREATE UNIQUE INDEX events_load_test_key_idx ON events (load_test_key_hash) WHERE load_test_key_hash IS NOT NULL;
