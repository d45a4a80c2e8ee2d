-- The holder's name of each ticket of a line, as given at checkout (tickets are issued when paid).
-- Missing entries: the buyer's name.
ALTER TABLE order_lines ADD COLUMN attendee_names jsonb NOT NULL DEFAULT '[]';
