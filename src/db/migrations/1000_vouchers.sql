-- Vouchers: discount codes, seats held back for their holders, hidden ticket types they unlock.
--
-- Capacity: `reserved` on a ticket type counts seats held back for voucher holders and not yet taken.
-- The public's conditional write is `taken + n + reserved <= capacity`; a voucher holder's order takes
-- k of its n seats out of the reserve in the same statement (`reserved - k`). A hold remembers the
-- pool it drew from and how much (pool_id, from_reserve) so an expiry or refund puts those seats back
-- into the reserve, not into public sale.
ALTER TABLE ticket_types ADD COLUMN reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0);
ALTER TABLE ticket_types ADD COLUMN hidden boolean NOT NULL DEFAULT false;
-- Add-ons have no reserves; the column keeps one conditional statement for every capacity pool.
ALTER TABLE add_ons ADD COLUMN reserved integer NOT NULL DEFAULT 0 CHECK (reserved = 0);
ALTER TABLE holds ADD COLUMN pool_id uuid;
ALTER TABLE holds ADD COLUMN from_reserve integer NOT NULL DEFAULT 0 CHECK (from_reserve >= 0 AND from_reserve <= quantity);

-- Seats of one ticket type held back for one voucher (the pool's id is the voucher's id).
CREATE TABLE capacity_reserves (
  id uuid PRIMARY KEY,
  ticket_type_id uuid NOT NULL,
  quantity integer NOT NULL CHECK (quantity >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX holds_pool_idx ON holds (pool_id, item_id) WHERE pool_id IS NOT NULL;

CREATE TABLE vouchers (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL,
  code text NOT NULL,
  discount_kind text NOT NULL CHECK (discount_kind IN ('percent', 'amount', 'price')),
  discount_value integer NOT NULL CHECK (discount_value >= 0),
  -- Empty: every ticket type of the event.
  ticket_type_ids uuid[] NOT NULL DEFAULT '{}',
  max_uses integer NOT NULL CHECK (max_uses >= 1),
  uses integer NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
  valid_from timestamptz,
  valid_until timestamptz,
  reserved_quantity integer NOT NULL DEFAULT 0 CHECK (reserved_quantity >= 0),
  unlocks_hidden boolean NOT NULL DEFAULT false,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, code)
);

-- One order's use of a voucher: `uses` tickets, given back once when the order expires or is cancelled.
CREATE TABLE voucher_redemptions (
  order_id uuid PRIMARY KEY,
  voucher_id uuid NOT NULL,
  uses integer NOT NULL CHECK (uses > 0),
  status text NOT NULL CHECK (status IN ('active', 'returned')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX voucher_redemptions_voucher_idx ON voucher_redemptions (voucher_id);
