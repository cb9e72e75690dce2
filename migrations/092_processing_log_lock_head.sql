-- A processing-log chain's head, read after taking the chain's transaction lock, in ONE round trip instead of
-- two. The read must follow the lock: a statement sees only what was committed before it began, so a head read in
-- the statement that waited for the lock could miss the entries of the lock's previous holder. Inside a VOLATILE
-- function every statement takes a fresh snapshot (read committed), so the SELECT below starts after the lock is
-- held and sees what its previous holder committed. Called per chain in ascending order for a batch.
CREATE FUNCTION processing_log_lock_head(lock_namespace integer, chain_no smallint, OUT chain_seq bigint, OUT hash bytea)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(lock_namespace, chain_no);
  SELECT p.chain_seq, p.hash INTO chain_seq, hash
    FROM processing_log p WHERE p.chain = chain_no ORDER BY p.chain_seq DESC LIMIT 1;
END;
$$;
