-- Editing ticket types and add-ons after creation, and cancelling events.
-- ticket_types.hidden comes with 1000_vouchers (a hidden type is one a voucher unlocks); installs run
-- 0803 before 1000 (new) or after it (upgraded), and both end with the column once.
ALTER TABLE ticket_types ADD COLUMN position integer NOT NULL DEFAULT 0;
-- A ticket type's own sales window, inside the event's (null: the event's).
ALTER TABLE ticket_types ADD COLUMN sales_start_at timestamptz;
ALTER TABLE ticket_types ADD COLUMN sales_end_at timestamptz;
ALTER TABLE add_ons ADD COLUMN hidden boolean NOT NULL DEFAULT false;
ALTER TABLE add_ons ADD COLUMN position integer NOT NULL DEFAULT 0;
-- Set once: the event is off, its paid orders are refunded.
ALTER TABLE events ADD COLUMN cancelled_at timestamptz;
