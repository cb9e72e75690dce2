-- The feed's page on a custom plan at every call (decision 0116). feed_page (migration 100) writes the cursor as
-- `p_after_tx IS NULL OR (o.tx, o.id) > (p_after_tx, p_after_id)`: a custom plan folds that to the row comparison,
-- an index condition on outbox_feed (recipient, tx, id); the generic plan plpgsql keeps from a function's sixth
-- call on cannot, and scanned the recipient's whole held window up to the cursor for every page. Sequential and
-- bitmap scans are off as for migration 092's head lookup, so that statistics taken while the outbox was empty
-- cannot make a page a sequential scan either.
ALTER FUNCTION feed_page(text, xid8, bigint, integer, text[]) SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION feed_page(text, xid8, bigint, integer, text[]) SET enable_seqscan = off;
ALTER FUNCTION feed_page(text, xid8, bigint, integer, text[]) SET enable_bitmapscan = off;
