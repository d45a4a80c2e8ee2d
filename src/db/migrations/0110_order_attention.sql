-- Payments debts (issue 17): an order the organizer has to look at, and why.
-- Set when a dispute the organizer won cannot give the customer their tickets back (the capacity was
-- sold meanwhile): the money stands but the order has no tickets; the organizer refunds or makes room.
ALTER TABLE orders ADD COLUMN attention text;
