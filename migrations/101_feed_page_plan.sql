-- The feed's page query with the cursor as an index condition in every plan (decision 0116). Migration 100 wrote
-- `p_after_tx IS NULL OR (o.tx, o.id) > (p_after_tx, p_after_id)`: a custom plan folds that to the row comparison,
-- but plpgsql keeps a generic plan after its fifth call, and a generic plan cannot: it scanned the recipient's
-- whole held window up to the cursor for every page, so a read grew with the window. Two queries now, one per
-- case, so each has its bounds as index conditions on outbox_feed (recipient, tx, id) whatever the plan; and
-- custom plans, as migration 092 pins its head lookup, so that statistics taken when the outbox was empty cannot
-- make a page a sequential scan.
CREATE OR REPLACE FUNCTION feed_page(p_recipient text, p_after_tx xid8, p_after_id bigint, p_limit integer, p_types text[])
RETURNS SETOF outbox
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  horizon xid8;
BEGIN
  -- The horizon exactly as in migration 100.
  WITH s AS (SELECT pg_current_snapshot() AS snap)
  SELECT CASE WHEN current_setting('transaction_isolation') = 'read committed' AND now() = statement_timestamp()
    THEN LEAST(pg_snapshot_xmax(snap), (
      SELECT min(x) FROM pg_snapshot_xip(snap) AS x
      WHERE (x::text::numeric % 4294967296)::bigint IN (
        SELECT backend_xid::text::bigint FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL AND datid = (SELECT oid FROM pg_database WHERE datname = current_database()))))
    ELSE pg_snapshot_xmin(snap) END
  INTO horizon FROM s;

  IF p_after_tx IS NULL THEN
    RETURN QUERY SELECT * FROM outbox o
      WHERE o.recipient = p_recipient
        AND o.tx < horizon
        AND (p_types IS NULL OR o.event_type = ANY(p_types))
      ORDER BY o.tx, o.id LIMIT p_limit;
  ELSE
    RETURN QUERY SELECT * FROM outbox o
      WHERE o.recipient = p_recipient
        AND (o.tx, o.id) > (p_after_tx, p_after_id)
        AND o.tx < horizon
        AND (p_types IS NULL OR o.event_type = ANY(p_types))
      ORDER BY o.tx, o.id LIMIT p_limit;
  END IF;
END
$$;
ALTER FUNCTION feed_page(text, xid8, bigint, integer, text[]) SET plan_cache_mode = force_custom_plan;
ALTER FUNCTION feed_page(text, xid8, bigint, integer, text[]) SET enable_seqscan = off;
ALTER FUNCTION feed_page(text, xid8, bigint, integer, text[]) SET enable_bitmapscan = off;
