-- The FSC transaction id (FSC Logging; the Digikoppeling REST API profile: a UUIDv7) of the request or message
-- that caused a processing step, so that the entries of one transaction between organisations can be found on
-- both sides (decision 0109). NULL for the bridge's own jobs and for every entry written before this migration.
-- The hash chain covers it only when it is present (src/processing-log/entry.ts), so the older entries still
-- verify; adding a nullable column rewrites no row, and so passes the append-only triggers of migration 040.
-- No index: nothing reads by it yet, and every entry's insert would pay for one.
ALTER TABLE processing_log ADD COLUMN fsc_transaction_id uuid;
