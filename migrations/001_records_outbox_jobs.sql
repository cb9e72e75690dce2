-- Records as accepted, the outbox the relay drains, and the record of scheduled job runs.

CREATE TABLE records (
  id            uuid PRIMARY KEY,
  kind          text NOT NULL,                     -- 'advice', 'case-event', ...
  source        text NOT NULL,                     -- issuing organisation (OIN)
  external_id   text NOT NULL,                     -- the issuer's own id for the record
  version       integer NOT NULL,
  content_hash  bytea NOT NULL,                    -- sha-256 of the canonical JSON: tells a replay from a conflict
  subject_key   text NOT NULL,                     -- keyed pseudonym of the subject; never the BSN
  body          jsonb NOT NULL,                    -- the record as accepted (personal data: removed at retention)
  receipt       jsonb NOT NULL,                    -- what the client got; a replay gets the same
  status        text NOT NULL DEFAULT 'accepted',
  trace_id      text,
  received_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, source, external_id, version)
);
CREATE INDEX records_subject_key ON records (subject_key);

CREATE TABLE outbox (
  id              bigserial PRIMARY KEY,
  record_id       uuid NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  event_id        uuid NOT NULL UNIQUE,            -- ce_id: the same on every resend
  event_type      text NOT NULL,
  recipient       text NOT NULL,
  topic           text NOT NULL,
  message_key     text NOT NULL,                   -- keyed pseudonym: per-subject partitioning and order
  slot            smallint NOT NULL,               -- ownership unit for the relay (hash of message_key)
  headers         jsonb NOT NULL,
  payload         text NOT NULL,                   -- the exact bytes sent as the Kafka message value
  created_at      timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text,
  last_attempt_at timestamptz,
  delivered_at    timestamptz
);
-- The relay's claim reads pending rows of its slots in id order; only pending rows are indexed.
CREATE INDEX outbox_pending ON outbox (slot, id) WHERE delivered_at IS NULL;
CREATE INDEX outbox_delivered_at ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;
CREATE INDEX outbox_record ON outbox (record_id);

CREATE TABLE job_runs (
  id          bigserial PRIMARY KEY,
  job         text NOT NULL,
  runner      text NOT NULL,                       -- which replica ran it
  scheduled_for timestamptz,                       -- the cron tick; NULL for a run started by hand
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  status      text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  detail      jsonb
);
CREATE INDEX job_runs_job_started ON job_runs (job, started_at DESC);
-- One run per job per tick, whichever replica's timer fires first.
CREATE UNIQUE INDEX job_runs_one_per_tick ON job_runs (job, scheduled_for) WHERE scheduled_for IS NOT NULL;
