-- The outbox is a queue: every delivered row leaves the partial index outbox_pending, but its entry stays there
-- until the table is vacuumed, and the relay's claim (a bitmap scan) reads every such entry on every round.
-- Measured: 60,000 delivered rows after a catch-up made one claim of 3 pending rows take 5 to 9 ms instead of
-- 0.16 ms, and the relay claims on every ingest's NOTIFY. PostgreSQL's default (vacuum when 20 % of the table is
-- dead) lets a large table wait a long time, so vacuum the outbox after a fixed number of dead rows, unthrottled.
ALTER TABLE outbox SET (
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 5000,
  autovacuum_vacuum_cost_delay = 0,
  autovacuum_analyze_scale_factor = 0.02
);
