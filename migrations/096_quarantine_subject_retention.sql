-- A quarantined message is personal data like a record: it is found for the person by the subject's key (the
-- same DOMAIN_INTERNAL pseudonym as records.subject_key, when the message held a BSN that passes the
-- eleven-test), so the subject access report lists it; and retention erases its raw value (and that link)
-- after the case-event retention of the policy (src/jobs/retention.ts).
ALTER TABLE quarantine ADD COLUMN subject_key text;
ALTER TABLE quarantine ADD COLUMN purged_at timestamptz;
CREATE INDEX quarantine_subject ON quarantine (subject_key) WHERE subject_key IS NOT NULL;
CREATE INDEX quarantine_retention ON quarantine (received_at) WHERE purged_at IS NULL;
-- Retention removes an entry's dead letter (its payload holds the subject's key) by quarantine id.
CREATE INDEX outbox_quarantine ON outbox (quarantine_id) WHERE quarantine_id IS NOT NULL;
