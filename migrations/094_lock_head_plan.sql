-- A chain's head is the last entry of the unique index (chain, chain_seq): a backward index scan that stops after
-- one row, whatever the table's size. The function's SELECT is planned once per connection and that plan is kept
-- (plpgsql caches it, generic after five calls) until the table's statistics change. Statistics taken while
-- processing_log was empty (an ANALYZE before the first entry, or autovacuum switched off so that none follows)
-- made the cached plan a sequential scan and a sort: every ingest then read the whole log under its chain's lock.
-- Measured in the bench's backlog scenario: 48 million rows read in 2,633 scans during 20 s of load, single
-- advices 20 % and batches 70 % slower than on an unanalysed database. With these two switched off inside the
-- function the backward index scan is the only plan left at a sane cost, so the statistics cannot change it.
ALTER FUNCTION processing_log_lock_head(integer, smallint) SET enable_seqscan = off;
ALTER FUNCTION processing_log_lock_head(integer, smallint) SET enable_bitmapscan = off;
