// The outbox is split into a fixed number of slots by subject; one replica at a time relays a slot, so messages
// about one subject leave in order even with several replicas. The number is part of the stored data: changing
// it needs a migration that recomputes outbox.slot for pending rows.
import { createHash } from 'node:crypto';

export const SLOT_COUNT = 64;

export function slotOf(subjectKey: string): number {
  return createHash('sha256').update(subjectKey).digest().readUInt16BE(0) % SLOT_COUNT;
}
