// How a new record relates to what the bridge already holds, found before it is stored:
//   an advice answers the ZSM request for it (same case number, same person);
//   a ZSM consultation or decision concerns an advice (named by issuer, id and version, or the same case and
//   person), and a decision also goes to the Veiligheidshuis that gave that advice.
// Links are only made between records about the same person: a case number alone is not proof of identity.
import type { Advice } from '../records/advice.ts';
import type { CaseEvent } from '../records/case-event.ts';
import type { RegionDirectory } from '../regions/regions.ts';
import { findAdvice, findByCase, type FoundRecord, type PendingLink } from '../store/links-repo.ts';
import type { Queryable } from '../store/pool.ts';

export interface LinkPlan {
  links: PendingLink[];
  /** Regions (VR codes) that must also receive the new record. */
  alsoToRegions: string[];
}

const NOTHING: LinkPlan = { links: [], alsoToRegions: [] };

export async function planLinks(db: Queryable, regions: RegionDirectory, kind: string, record: unknown, subjectKey: string): Promise<LinkPlan> {
  if (kind === 'advice') {
    const a = record as Advice;
    if (!a.zsmCaseReference) return NOTHING;
    const request = await findByCase(db, 'case-event', a.zsmCaseReference, subjectKey, 'advice-requested');
    return request ? { links: [{ to: request.id, relation: 'answers' }], alsoToRegions: [] } : NOTHING;
  }
  if (kind !== 'case-event') return NOTHING;
  const e = record as CaseEvent;
  if (e.eventType !== 'advice-consulted' && e.eventType !== 'decision-taken') return NOTHING;
  const advice = await adviceOf(db, e, subjectKey);
  if (!advice) return NOTHING;
  if (e.eventType === 'advice-consulted') return { links: [{ to: advice.id, relation: 'consults' }], alsoToRegions: [] };
  const municipality = (advice.body as Partial<Advice>).subject?.municipalityCode;
  const region = regions.byOin(advice.source) ?? (municipality ? regions.byMunicipality(municipality) : undefined);
  return { links: [{ to: advice.id, relation: 'decides' }], alsoToRegions: region ? [region.region] : [] };
}

async function adviceOf(db: Queryable, e: CaseEvent, subjectKey: string): Promise<FoundRecord | undefined> {
  const named = e.decision?.relatedAdvice ?? (e.consultation?.issuerOin ? { ...e.consultation, issuerOin: e.consultation.issuerOin } : undefined);
  if (named) {
    const advice = await findAdvice(db, named.issuerOin, named.adviceId, named.adviceVersion);
    return advice?.subjectKey === subjectKey ? advice : undefined;
  }
  return findByCase(db, 'advice', e.zsmCaseReference, subjectKey);
}
