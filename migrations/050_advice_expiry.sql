-- Advice expiry: the last day each record may be used, when it expired, and who received it. Outbox rows are
-- removed after OUTBOX_RETENTION_HOURS, so they cannot tell later which recipients must hear of an expiry.

ALTER TABLE records ADD COLUMN valid_until date;          -- advices: validUntil; NULL for kinds that do not expire
ALTER TABLE records ADD COLUMN expired_at timestamptz;    -- set with status 'expired' by the expiry job
-- The expiry job looks for accepted records whose last day has passed.
CREATE INDEX records_expiring ON records (valid_until) WHERE status = 'accepted' AND valid_until IS NOT NULL;

CREATE TABLE record_recipients (
  record_id       uuid NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  recipient       text NOT NULL,
  topic           text NOT NULL,
  message_key     text NOT NULL,                 -- the pseudonym the recipient already has as the message key
  expiry_event_id uuid UNIQUE,                   -- ce_id of its expiry event, once queued: one per recipient, ever
  PRIMARY KEY (record_id, recipient, topic)
);

-- Records accepted before this migration: validity from the body, recipients from the outbox rows still held.
UPDATE records SET valid_until = (body ->> 'validUntil')::date WHERE kind = 'advice' AND body ? 'validUntil';
INSERT INTO record_recipients (record_id, recipient, topic, message_key)
  SELECT DISTINCT record_id, recipient, topic, message_key FROM outbox
  ON CONFLICT DO NOTHING;
