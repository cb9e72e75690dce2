-- A chain's head is the last entry of the unique index (chain, chain_seq): a backward index scan that stops after
-- one row, whatever the table's size. The function's SELECT is planned once per connection and that plan is kept
-- (plpgsql caches it, generic after five calls) until the table's statistics change. Statistics taken while
-- processing_log was empty (an ANALYZE before the first entry, or autovacuum switched off so that none follows)
-- made the cached plan a sequential scan and a sort: every ingest then read the whole log under its chain's lock.
-- Measured on the bench's backlog seed: 2,633 sequential scans reading 48 million rows in 20 s of load; the
-- bench's backlog ingest ran at 0.46 of B2 and its batches at 0.13 of B2 multi-row, against 0.77 to 0.86 and 0.49
-- to 0.50 in the other scenarios (docs/performance.md, change 10). With these two switched off inside the
-- function the backward index scan is the only plan left at a sane cost, so the statistics cannot change it.
ALTER FUNCTION processing_log_lock_head(integer, smallint) SET enable_seqscan = off;
ALTER FUNCTION processing_log_lock_head(integer, smallint) SET enable_bitmapscan = off;
