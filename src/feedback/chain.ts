// The chain an advice belongs to, as a Veiligheidshuis and ZSM see it: requested -> advice delivered ->
// consulted -> decided. Built from record links, so it needs no state of its own.
import type { MessageState } from '../store/outbox-repo.ts';
import type { LinkedRecord } from '../store/links-repo.ts';

export interface ChainStep {
  step: 'requested' | 'advice-accepted' | 'advice-delivered' | 'consulted' | 'decided';
  at: string;
  recordId: string;
  detail?: string;
}

/** ZSM's own time of the event when it has one (normalised to UTC so that times sort), else when the bridge got it. */
function when(l: LinkedRecord): string {
  const t = l.occurredAt ? Date.parse(l.occurredAt) : NaN;
  return Number.isNaN(t) ? l.receivedAt.toISOString() : new Date(t).toISOString();
}

export function adviceChain(advice: { id: string; receivedAt: Date }, links: LinkedRecord[], deliveries: MessageState[]): ChainStep[] {
  const steps: ChainStep[] = [];
  for (const l of links) {
    if (l.relation === 'answers' && l.direction === 'to') steps.push({ step: 'requested', at: when(l), recordId: l.id });
  }
  steps.push({ step: 'advice-accepted', at: advice.receivedAt.toISOString(), recordId: advice.id });
  const delivered = deliveries.map((d) => d.deliveredAt).filter((d): d is Date => d !== null);
  if (delivered.length > 0 && delivered.length === deliveries.length) {
    steps.push({ step: 'advice-delivered', at: new Date(Math.max(...delivered.map((d) => d.getTime()))).toISOString(), recordId: advice.id });
  }
  for (const l of links) {
    if (l.direction !== 'from') continue;
    if (l.relation === 'consults') steps.push({ step: 'consulted', at: when(l), recordId: l.id });
    if (l.relation === 'decides') {
      const step: ChainStep = { step: 'decided', at: when(l), recordId: l.id };
      if (l.decisionKind) step.detail = l.decisionKind;
      steps.push(step);
    }
  }
  return steps.sort((a, b) => a.at.localeCompare(b.at));
}
