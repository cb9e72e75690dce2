// The inbound topic: ZSM systems that already publish to Kafka write case events here. Offsets are committed
// only after the database commit (or the quarantine) of each message, so a crash re-reads, never skips; the
// event id makes a re-read a duplicate that produces nothing new. A message that cannot be taken is quarantined
// and the partition moves on; only an unavailable database holds it, and then every message would fail alike.
import type { Kafka } from '../kafka/client.ts';
import { createConsumer, type Consumer } from '../kafka/consumer.ts';
import type { Logger } from '../logger.ts';
import type { PipelineDeps } from '../ingest/pipeline.ts';
import { takeCaseEvent } from './take-case-event.ts';

export interface InboundOptions {
  topic: string;
  groupId: string;
  deadLetterTopic: string;
  maxBackoffMs?: number;
}

export interface InboundConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
}

class Stopping extends Error {}

export function createInboundConsumer(kafka: Kafka, deps: PipelineDeps, logger: Logger, options: InboundOptions): InboundConsumer {
  const log = logger.child({ component: 'inbound', topic: options.topic });
  let consumer: Consumer | undefined;
  let stopping = false;

  async function takeWithRetry(message: { value: Buffer | null; offset: string; headers?: Record<string, unknown> }, origin: string, heartbeat: () => Promise<void>) {
    const traceparent = message.headers?.['traceparent']?.toString();
    for (let delay = 200; ; delay = Math.min(delay * 2, options.maxBackoffMs ?? 10_000)) {
      if (stopping) throw new Stopping('stopping');
      try {
        return await takeCaseEvent({ ...deps, deadLetterTopic: options.deadLetterTopic }, { value: message.value, origin, traceparent });
      } catch (err) {
        log.warn({ err: { message: (err as Error).message }, retryInMs: delay, origin }, 'cannot store an inbound message yet; holding the partition');
        await new Promise((r) => setTimeout(r, delay));
        await heartbeat();
      }
    }
  }

  return {
    async start() {
      stopping = false;
      const c = createConsumer(kafka, options.groupId);
      consumer = c;
      await c.connect();
      await c.subscribe({ topic: options.topic, fromBeginning: true });
      await c.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message, heartbeat }) => {
          const origin = `kafka:${topic}/${partition}/${message.offset}`;
          const result = await takeWithRetry(message, origin, heartbeat);
          deps.metrics.inboundMessages.inc({ outcome: result.outcome });
          if (result.outcome === 'quarantined') log.warn({ origin, quarantineId: result.quarantineId, reason: result.reasonCode }, 'inbound message quarantined');
          await c.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        },
      });
      log.info('inbound consumer running');
    },
    async stop() {
      stopping = true;
      await consumer?.disconnect();
      consumer = undefined;
    },
  };
}
