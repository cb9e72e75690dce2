// The state of one record as its sender (or ops) sees it: its deliveries, its status, and for an advice the chain
// requested -> delivered -> consulted -> decided. Ids, topics and times only, no personal data.
import type { Pool } from '../store/pool.ts';
import { linksOf } from '../store/links-repo.ts';
import { messagesOf, type MessageState } from '../store/outbox-repo.ts';
import { findRecordState, type RecordState } from '../store/records-repo.ts';
import { webhookStatesOfRecord, type WebhookDeliveryState } from '../store/webhook-repo.ts';
import { adviceChain, type ChainStep } from './chain.ts';

/** Who asks: ops reads every record, a submitting client only its own organisation's. */
export interface Reader {
  roles: readonly string[];
  oin: string;
}

export interface RecordView extends Omit<RecordState, 'receivedAt'> {
  receivedAt: string;
  chain?: ChainStep[];
  deliveries: (Omit<MessageState, 'deliveredAt'> & { deliveredAt: string | null })[];
  /** Per webhook subscription that takes one of the record's events: delivered, pending or dead-letter. */
  webhooks: WebhookDeliveryState[];
}

/** Undefined for a record that does not exist or that the reader may not see: the two look alike, so ids cannot
 * be probed for existence. */
export async function recordView(pool: Pool, id: string, reader: Reader | null): Promise<RecordView | undefined> {
  const state = await findRecordState(pool, id);
  const mayRead = state !== undefined && reader !== null && (reader.roles.includes('ops') || state.source === reader.oin);
  if (!state || !mayRead) return undefined;
  const deliveries = await messagesOf(pool, state.id);
  const pending = deliveries.some((d) => d.deliveredAt === null);
  const status = state.status === 'accepted' && !pending ? 'delivered' : state.status;
  const chain = state.kind === 'advice' ? adviceChain(state, await linksOf(pool, state.id), deliveries) : undefined;
  return {
    ...state,
    status,
    receivedAt: state.receivedAt.toISOString(),
    ...(chain && { chain }),
    deliveries: deliveries.map((d) => ({ ...d, deliveredAt: d.deliveredAt?.toISOString() ?? null })),
    webhooks: await webhookStatesOfRecord(pool, state.id),
  };
}
