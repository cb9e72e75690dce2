// The known-person lookup for ZSM: is this suspect known at a Veiligheidshuis, whom to contact, and is there a
// current advice? Answers ids and functional contact points only, never the person's data.
import { DOMAIN_INTERNAL, type Pseudonymiser } from '../privacy/pseudonym.ts';
import type { Queryable } from '../store/pool.ts';

export interface KnownAt {
  veiligheidshuis: { oin: string; name: string };
  contactPoint: { name: string; email?: string; phone?: string };
  /** The current advice of that Veiligheidshuis (valid today, not expired), if any. */
  currentAdvice: { recordId: string; adviceId: string; version: number; validUntil: string } | null;
}

export interface LookupAnswer {
  result: 'hit' | 'no-hit';
  knownAt: KnownAt[];
}

interface AdviceRow {
  id: string;
  source: string;
  status: string;
  body: { adviceId: string; version: number; validUntil: string; issuer: { oin: string; name: string }; contactPoint: KnownAt['contactPoint'] };
}

export async function lookupKnownPerson(db: Queryable, pseudonymiser: Pseudonymiser, bsn: string, today: string): Promise<LookupAnswer> {
  // Under every key held: records stored before a key rotation carry the older pseudonym.
  const subjectKeys = pseudonymiser.allPseudonyms(bsn, DOMAIN_INTERNAL);
  // Newest first per issuer; records whose body was removed at retention carry no issuer and drop out.
  const { rows } = await db.query<AdviceRow>(
    /* sql */ `SELECT id, source, status, body FROM records
     WHERE kind = 'advice' AND subject_key = ANY($1::text[]) AND body ? 'issuer'
     ORDER BY source, received_at DESC`,
    [subjectKeys],
  );
  const byIssuer = new Map<string, KnownAt>();
  for (const r of rows) {
    let entry = byIssuer.get(r.source);
    if (!entry) {
      // The newest advice of an issuer names its current contact point.
      const { name, email, phone } = r.body.contactPoint;
      entry = { veiligheidshuis: { oin: r.body.issuer.oin, name: r.body.issuer.name }, contactPoint: { name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) }, currentAdvice: null };
      byIssuer.set(r.source, entry);
    }
    if (!entry.currentAdvice && r.status !== 'expired' && r.body.validUntil >= today) {
      entry.currentAdvice = { recordId: r.id, adviceId: r.body.adviceId, version: r.body.version, validUntil: r.body.validUntil };
    }
  }
  const knownAt = [...byIssuer.values()];
  return { result: knownAt.length > 0 ? 'hit' : 'no-hit', knownAt };
}
