-- The hashes of entries appended after a chain's head, so that a single record's write (the record, its links,
-- outbox rows, recipients and log entries) is ONE statement in its own implicit transaction: the statement takes
-- the chain's lock and head through processing_log_lock_head and hands them here. Each entry's canonical JSON
-- arrives in two parts, before and after its place in the chain (src/processing-log/entry.ts, entryBodyParts);
-- the hash is sha-256(previous hash || UTF-8 of before || chain_seq || after), exactly what entryHash computes,
-- and what the verifier checks. The canonical form itself stays in one place, the bridge's code.
CREATE FUNCTION processing_log_chain_hashes(head_seq bigint, head_hash bytea, parts_before text[], parts_after text[])
RETURNS TABLE (ord integer, chain_seq bigint, prev_hash bytea, hash bytea)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  seq bigint := coalesce(head_seq, 0);
  prev bytea := coalesce(head_hash, decode(repeat('00', 32), 'hex')); -- GENESIS: 32 zero bytes
BEGIN
  FOR i IN 1 .. coalesce(array_length(parts_before, 1), 0) LOOP
    seq := seq + 1;
    ord := i;
    chain_seq := seq;
    prev_hash := prev;
    hash := sha256(prev || convert_to(parts_before[i] || seq::text || parts_after[i], 'UTF8'));
    prev := hash;
    RETURN NEXT;
  END LOOP;
END;
$$;
