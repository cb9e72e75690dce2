-- The pull feed reads the outbox per recipient (decision 0110). Sequence values are taken at insert and commit
-- out of order, so a cursor "id > n" would skip a row that commits later with a lower id. The writing
-- transaction's id does better: a page serves only rows whose transaction is below the snapshot's xmin (every
-- transaction that could still commit a lower one has finished), in (tx, id) order, so a position once passed
-- is never revisited. Rows already held all get this migration's transaction id; their ids keep their order.
ALTER TABLE outbox ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX outbox_feed ON outbox (recipient, tx, id);
