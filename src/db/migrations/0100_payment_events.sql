-- Payments follow-up (Stripe): provider webhook events processed once, and disputed payments.

-- One row per provider event that was handled to the end; the key makes a redelivery a no-op.
CREATE TABLE payment_provider_events (
  provider text NOT NULL,
  event_id text NOT NULL,
  type text NOT NULL,
  outcome text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, event_id)
);

-- A chargeback: the money went back to the customer through their bank, not through us.
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
  CHECK (status IN ('created', 'pending', 'confirmed', 'failed', 'cancelled', 'refunded', 'disputed'));
