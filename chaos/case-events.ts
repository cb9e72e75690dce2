// Case events on the inbound topic, in the same load as the advices: a few ZSM "systems" publish case events
// about subjects of their own, one event after the other per subject, each sent again (same event id) until the
// broker acknowledged it (acks = all, through the project's own producer). So the order of the acknowledgements
// per subject is the order the bridge must keep on every recipient topic. After the run, each acknowledged event
// is looked up by its event id (records.external_id) to become an Ack the checker treats like an advice's.
import { randomUUID } from 'node:crypto';
import { createKafka } from '../src/kafka/client.ts';
import { createMessageProducer, type MessageProducer } from '../src/kafka/producer.ts';
import { createLogger } from '../src/logger.ts';
import { adminQuery } from '../harness/pg-admin.ts';
import { sleep } from '../harness/processes.ts';
import { syntheticBsn, validCaseEvent } from '../test/support/fixtures.ts';
import type { Ack } from './load.ts';

/** Case-event subjects are numbered from here in the checker, apart from the advices' subjects. */
export const CASE_EVENT_SUBJECTS = 1_000_000;

export interface CaseEventLoadOptions {
  brokers: string;
  topic: string;
  publishers: number;
  subjectsPerPublisher: number;
  /** BSNs syntheticBsn(firstBsn + i): apart from the advices' subjects. */
  firstBsn: number;
  paceMs: number;
}

export interface SentEvent {
  eventId: string;
  subject: number;
  seq: number;
}

const TYPES = ['suspect-entered-zsm', 'advice-requested', 'advice-consulted', 'case-closed'] as const;

export class CaseEventLoad {
  readonly sent: SentEvent[] = [];
  /** Sends that failed or timed out and were sent again. */
  retries = 0;
  private stopping = false;
  private workers: Promise<void>[] = [];
  private readonly producer: MessageProducer;
  private readonly opts: CaseEventLoadOptions;

  constructor(opts: CaseEventLoadOptions) {
    this.opts = opts;
    const kafka = createKafka({ kafkaBrokers: opts.brokers.split(','), kafkaClientId: 'chaos-zsm' }, createLogger('fatal'));
    this.producer = createMessageProducer(kafka, createLogger('fatal'));
  }

  start(): this {
    this.workers = Array.from({ length: this.opts.publishers }, (_, p) => this.worker(p));
    return this;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.workers);
    await this.producer.close().catch(() => undefined);
  }

  private async worker(p: number): Promise<void> {
    const seqs = new Array<number>(this.opts.subjectsPerPublisher).fill(0);
    for (let turn = 0; !this.stopping; turn++) {
      const k = turn % this.opts.subjectsPerPublisher;
      const subject = p * this.opts.subjectsPerPublisher + k;
      const seq = seqs[k]!;
      const bsn = syntheticBsn(this.opts.firstBsn + subject);
      const event = validCaseEvent(TYPES[seq % TYPES.length]!, { eventId: randomUUID(), bsn, municipalityCode: 'GM0599' });
      const message = { topic: this.opts.topic, key: bsn, value: JSON.stringify(event), headers: {} };
      for (;;) {
        if (this.stopping) return;
        try {
          await this.producer.send([message], 5_000);
          break;
        } catch {
          this.retries++;
          await sleep(250);
        }
      }
      this.sent.push({ eventId: String(event['eventId']), subject, seq });
      seqs[k] = seq + 1;
      await sleep(this.opts.paceMs);
    }
  }
}

/**
 * The acknowledged events as Acks, once the bridge has taken them: waits until every one is stored (or the
 * timeout); those never stored come back as `missing` (a case event acknowledged by Kafka and lost).
 */
export async function caseEventAcks(databaseUrl: string, sent: SentEvent[], timeoutMs = 90_000): Promise<{ acks: Ack[]; missing: number }> {
  const started = Date.now();
  const ids = sent.map((s) => s.eventId);
  let found = new Map<string, string>();
  let [lastSize, lastProgress] = [-1, Date.now()];
  for (;;) {
    try {
      const { rows } = await adminQuery<{ id: string; external_id: string }>(
        databaseUrl,
        /* sql */ `SELECT id, external_id FROM records WHERE kind = 'case-event' AND external_id = ANY($1::text[])`,
        [ids],
        3_000,
      );
      found = new Map(rows.map((r) => [r.external_id, r.id]));
    } catch {
      // the database may be coming back
    }
    if (found.size >= ids.length || Date.now() - started > timeoutMs) break;
    // No progress for 30 s: the consumer has caught up, and what is missing will not come.
    if (found.size !== lastSize) [lastSize, lastProgress] = [found.size, Date.now()];
    else if (Date.now() - lastProgress > 30_000) break;
    await sleep(500);
  }
  const acks: Ack[] = [];
  for (const s of sent) {
    const recordId = found.get(s.eventId);
    if (recordId) acks.push({ recordId, adviceId: s.eventId, subject: CASE_EVENT_SUBJECTS + s.subject, seq: s.seq });
  }
  return { acks, missing: sent.length - acks.length };
}
