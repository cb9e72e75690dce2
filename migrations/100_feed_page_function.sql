-- A page of the pull feed in one round trip (decision 0110): the commit horizon, then the page, as two statements
-- of one VOLATILE function. Under read committed each statement of such a function takes a snapshot of its own,
-- so the page's snapshot is taken after the horizon was read, exactly as when the two statements were sent one
-- after the other; the round trip between them was a good part of a page's time under load.
--
-- The horizon: a transaction id below which every transaction of this database has ended. The snapshot's xmin
-- is the whole server's, and a writing transaction in another database would hold the feed back; only this
-- database's can write its outbox. So: the lowest id that was running at the horizon statement's snapshot and
-- still runs in this database when pg_stat_activity is read after it (one that ended in between is visible to
-- the page's statement), else the snapshot's xmax. Inside a transaction block (a pg_stat_activity cached from an
-- earlier statement) or under repeatable read (one snapshot for every statement) that reasoning fails, and the
-- server-wide xmin is taken instead. Prepared transactions are not in pg_stat_activity: the bridge uses none.
CREATE FUNCTION feed_page(p_recipient text, p_after_tx xid8, p_after_id bigint, p_limit integer, p_types text[])
RETURNS SETOF outbox
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  horizon xid8;
BEGIN
  WITH s AS (SELECT pg_current_snapshot() AS snap)
  SELECT CASE WHEN current_setting('transaction_isolation') = 'read committed' AND now() = statement_timestamp()
    THEN LEAST(pg_snapshot_xmax(snap), (
      SELECT min(x) FROM pg_snapshot_xip(snap) AS x
      WHERE (x::text::numeric % 4294967296)::bigint IN (
        SELECT backend_xid::text::bigint FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL AND datid = (SELECT oid FROM pg_database WHERE datname = current_database()))))
    ELSE pg_snapshot_xmin(snap) END
  INTO horizon FROM s;

  -- Both bounds stay index conditions on outbox_feed (recipient, tx, id): one range scan.
  RETURN QUERY SELECT * FROM outbox o
    WHERE o.recipient = p_recipient
      AND (p_after_tx IS NULL OR (o.tx, o.id) > (p_after_tx, p_after_id))
      AND o.tx < horizon
      AND (p_types IS NULL OR o.event_type = ANY(p_types))
    ORDER BY o.tx, o.id LIMIT p_limit;
END
$$;
