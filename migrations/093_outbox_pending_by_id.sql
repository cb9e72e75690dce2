-- The relay's claim reads pending rows in id order. With the index on (slot, id) it had to take them from 64
-- slots at once: a bitmap scan and a sort, and a bitmap scan never marks an index entry dead, so every row the
-- relay had delivered stayed in its way until the next vacuum (docs/performance.md: PostgreSQL spent about twice
-- the CPU per record with the relay on). An index on id alone is read in order and stops at the LIMIT; a plain
-- index scan marks the entries of delivered rows dead as it passes them, so the next claim skips them.
-- A replica holding some of the slots filters the others' rows out as it reads: with a few replicas, a few times
-- the rows of its own share, never a sort of the whole backlog.
CREATE INDEX outbox_pending_by_id ON outbox (id) WHERE delivered_at IS NULL;
DROP INDEX outbox_pending;
