// The plan before the exchange policy exists: every advice goes, whole, to the OM's ZSM table.
import { topicName } from '../kafka/topics.ts';
import { DOMAIN_KAFKA_KEY, type Pseudonymiser } from '../privacy/pseudonym.ts';
import type { ExchangePlan } from './plan.ts';

export const OM_ZSM = 'om-zsm';

export function createDefaultPlan(topicPrefix: string, pseudonymiser: Pseudonymiser): ExchangePlan {
  return {
    deliveriesFor({ kind, record, subjectBsn }) {
      return [{ recipient: OM_ZSM, topic: topicName(topicPrefix, kind, OM_ZSM), view: record, messageKey: pseudonymiser.pseudonym(subjectBsn, DOMAIN_KAFKA_KEY) }];
    },
    topics: () => [topicName(topicPrefix, 'advice', OM_ZSM)],
  };
}
