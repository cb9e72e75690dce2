-- The processing log (after Logboek Dataverwerkingen): one entry per processing step per data subject.
-- Append-only (the triggers below refuse UPDATE, DELETE and TRUNCATE) and hash-chained: each entry holds the
-- hash of the one before it in its chain, so a changed, removed or inserted entry breaks the chain.
-- The one change allowed is erasing the link to the person (subject_id to NULL) when retention ends: the chain
-- covers a salted commitment to the subject id, not the id itself, so it verifies before and after.

CREATE TABLE processing_log (
  id                  bigserial PRIMARY KEY,
  entry_id            uuid NOT NULL UNIQUE,            -- operation id
  chain               smallint NOT NULL,               -- which hash chain (several, so writers rarely wait)
  chain_seq           bigint NOT NULL,                 -- position in the chain, from 1, without gaps
  operation           text NOT NULL,                   -- received, refused, disclosed, looked-up, purged
  status              text NOT NULL,                   -- ok, refused
  trace_id            text NOT NULL,                   -- W3C trace id
  actor               text NOT NULL,                   -- the client, or 'unauthenticated', or 'bridge'
  subject_id          text,                            -- keyed pseudonym of the person; NULL when none or erased
  subject_salt        bytea,
  subject_commitment  bytea,                           -- sha-256(salt || subject_id): what the chain covers
  record_id           uuid,
  record_kind         text,
  recipient           text,
  fields              text[],
  legal_basis         text,
  purpose             text,
  processing_activity text NOT NULL,                   -- URI in the register of processing activities
  started_at          timestamptz NOT NULL,
  ended_at            timestamptz NOT NULL,
  detail              jsonb,                           -- codes and counts, never personal data
  prev_hash           bytea NOT NULL,
  hash                bytea NOT NULL,
  UNIQUE (chain, chain_seq)
);
CREATE INDEX processing_log_subject ON processing_log (subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX processing_log_record ON processing_log (record_id) WHERE record_id IS NOT NULL;

CREATE FUNCTION processing_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.subject_id IS NOT NULL AND NEW.subject_id IS NULL
     AND (to_jsonb(NEW) - 'subject_id') = (to_jsonb(OLD) - 'subject_id') THEN
    RETURN NEW; -- erasing the link to the person at the end of retention
  END IF;
  RAISE EXCEPTION 'processing_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER processing_log_no_update BEFORE UPDATE ON processing_log FOR EACH ROW EXECUTE FUNCTION processing_log_append_only();
CREATE TRIGGER processing_log_no_delete BEFORE DELETE ON processing_log FOR EACH ROW EXECUTE FUNCTION processing_log_append_only();
CREATE TRIGGER processing_log_no_truncate BEFORE TRUNCATE ON processing_log FOR EACH STATEMENT EXECUTE FUNCTION processing_log_append_only();
