-- Payments debts (issue 17): a Checkout Session's idempotency key is the payment and its attempt, not
-- the request's hash (which changed every minute with expires_at, so a retry after a lost response
-- created a second live session). The attempt's start time fixes its parameters (expires_at), so every
-- retry of one attempt sends the same request under the same key. NULL: the payment's created_at.
ALTER TABLE payments ADD COLUMN checkout_attempt integer NOT NULL DEFAULT 1;
ALTER TABLE payments ADD COLUMN checkout_started_at timestamptz;
