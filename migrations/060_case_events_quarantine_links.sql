-- ZSM case events: messages from the inbound topic that could not be taken (quarantine), links between records
-- (an advice answers a request; a decision decides on an advice), and a way to find records by ZSM case number.

CREATE TABLE quarantine (
  id            uuid PRIMARY KEY,
  received_at   timestamptz NOT NULL DEFAULT now(),
  origin        text NOT NULL,                      -- 'kafka:<topic>/<partition>/<offset>'
  event_id      text,                               -- the event id, when the message was readable enough to have one
  raw_value     text NOT NULL,                      -- the message as received (may hold personal data: retention applies)
  reason_code   text NOT NULL,                      -- a problem code from the error catalogue
  reason        jsonb NOT NULL,                     -- field errors: codes and pointers, never values
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'released', 'discarded')),
  attempts      integer NOT NULL DEFAULT 1,
  resolved_at   timestamptz,
  record_id     uuid REFERENCES records (id) ON DELETE SET NULL
);
CREATE INDEX quarantine_open ON quarantine (received_at) WHERE status = 'open';

CREATE TABLE record_links (
  from_record uuid NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  to_record   uuid NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  relation    text NOT NULL CHECK (relation IN ('answers', 'consults', 'decides')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (from_record, to_record, relation)
);
CREATE INDEX record_links_to ON record_links (to_record);

-- Advices and case events that name a ZSM case number (parketnummer), to link a decision to its advice.
CREATE INDEX records_case_reference ON records ((body ->> 'zsmCaseReference'), subject_key) WHERE body ? 'zsmCaseReference';

-- A quarantined message is announced on the dead-letter topic through the outbox, like every other message:
-- such an outbox row belongs to a quarantine entry instead of a record.
ALTER TABLE outbox ALTER COLUMN record_id DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN quarantine_id uuid REFERENCES quarantine (id) ON DELETE CASCADE;
ALTER TABLE outbox ADD CONSTRAINT outbox_belongs_somewhere CHECK (record_id IS NOT NULL OR quarantine_id IS NOT NULL);
