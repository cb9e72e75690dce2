-- Retention: a record past its kind's retention keeps only a skeleton (ids, kind, issuer, times, receipt);
-- its body and the link to the person are removed.
ALTER TABLE records ALTER COLUMN body DROP NOT NULL;
ALTER TABLE records ALTER COLUMN subject_key DROP NOT NULL;
ALTER TABLE records ADD COLUMN purged_at timestamptz;
CREATE INDEX records_retention ON records (kind, received_at) WHERE purged_at IS NULL;
