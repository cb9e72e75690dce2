-- Webhook push (decision 0111): a recipient's subscriptions, each with its own cursor over the recipient's feed
-- (the outbox in (tx, id) order, migration 098), its delivery state, and its dead letters. A dead letter holds
-- the event's id and the reason, never the payload: a re-drive reads the event from the outbox again.
CREATE TABLE webhook_subscriptions (
  id                uuid PRIMARY KEY,
  recipient         text NOT NULL,
  url               text NOT NULL,
  event_types       text[] NOT NULL DEFAULT '{}',      -- empty: every type the recipient receives
  secret_sealed     bytea NOT NULL,                    -- the signing secret, AES-256-GCM sealed (src/webhook/secrets.ts)
  origin            text NOT NULL CHECK (origin IN ('api', 'config')),
  created_by        text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  -- The last feed position delivered or dead-lettered; NULL: nothing yet (a new subscription starts at the
  -- recipient's newest event, cursor set at creation).
  cursor_tx         xid8,
  cursor_id         bigint,
  delivered         bigint NOT NULL DEFAULT 0,
  last_delivered_at timestamptz,
  -- The event in hand while it is being retried: what GET /v1/records/{id} and the list show as pending.
  pending_event_id  uuid,
  pending_since     timestamptz,
  attempts          integer NOT NULL DEFAULT 0,
  last_attempt_at   timestamptz,
  last_error        text
);
CREATE INDEX webhook_subscriptions_recipient ON webhook_subscriptions (recipient, created_at, id);

CREATE TABLE webhook_dead_letters (
  subscription_id   uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  event_id          uuid NOT NULL,
  record_id         uuid,
  event_type        text NOT NULL,
  reason            text NOT NULL,                     -- a status code, a timeout, a refused address; no payload
  attempts          integer NOT NULL,
  first_attempt_at  timestamptz NOT NULL,
  dead_at           timestamptz NOT NULL DEFAULT now(),
  -- open: given up; redrive: asked to be sent again (the deliverer takes it before the next feed event).
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'redrive')),
  PRIMARY KEY (subscription_id, event_id)
);
CREATE INDEX webhook_dead_letters_record ON webhook_dead_letters (record_id);
