// The inbound topic: ZSM systems that already publish to Kafka write case events here. Offsets are committed
// only after the database commit (or the quarantine) of each message, so a crash re-reads, never skips; the
// event id makes a re-read a duplicate that produces nothing new. A message that cannot be taken is quarantined
// and the partition moves on; only an unavailable database holds it, and then every message would fail alike.
import type { Kafka } from '../kafka/client.ts';
import { createConsumer, type Consumer } from '../kafka/consumer.ts';
import type { Logger } from '../logger.ts';
import { inConsumerSpan } from '../observability/tracing.ts';
import type { IngestDeps } from '../ingest/prepare.ts';
import { TRANSACTION_ID_KAFKA_HEADER } from '../outbox/cloudevents.ts';
import { transactionIdFrom } from '../records/transaction-id.ts';
import { isDatabaseUnavailable } from '../store/pool.ts';
import { quarantine, takeCaseEvent } from './take-case-event.ts';

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

/** The error at the end of a chain of `cause`s (kafkajs wraps errors in its own). */
function rootCause(err: Error): Error {
  let e = err;
  for (let depth = 0; depth < 10 && e.cause instanceof Error; depth++) e = e.cause;
  return e;
}

export function createInboundConsumer(kafka: Kafka, deps: IngestDeps, logger: Logger, options: InboundOptions): InboundConsumer {
  const log = logger.child({ component: 'inbound', topic: options.topic });
  let consumer: Consumer | undefined;
  let stopping = false;
  let starting: Promise<void> | undefined;
  let wakeStart: (() => void) | undefined;

  async function takeWithRetry(
    message: { value: Buffer | null; offset: string; headers?: Record<string, unknown> },
    origin: string,
    heartbeat: () => Promise<void>,
  ) {
    const traceparent = message.headers?.['traceparent']?.toString();
    // The sender's FSC transaction id when it sends a well-formed one; else one of the bridge's own, so that the
    // message's processing has one as every request's has (decision 0109). A malformed one is not a reason to
    // quarantine: the message itself may be fine.
    const transactionId = transactionIdFrom(message.headers?.[TRANSACTION_ID_KAFKA_HEADER]?.toString());
    let lastError: unknown;
    const deps2 = { ...deps, deadLetterTopic: options.deadLetterTopic };
    const msg = { value: message.value, origin, traceparent, transactionId, actor: `kafka:${options.topic}` };
    for (let delay = 200, attempt = 1; ; delay = Math.min(delay * 2, options.maxBackoffMs ?? 10_000), attempt++) {
      if (stopping) throw new Stopping('stopping');
      try {
        // A failure that is not the database being away would fail forever: after a few tries the message goes
        // to quarantine, so that no message can hold a partition for good.
        if (attempt > 3 && lastError && !isDatabaseUnavailable(lastError)) {
          return await quarantine(deps2, msg, message.value ?? Buffer.alloc(0), 'BRIDGE_INTERNAL', []);
        }
        return await takeCaseEvent(deps2, msg);
      } catch (err) {
        lastError = err;
        log.warn({ err: { message: (err as Error).message }, retryInMs: delay, origin }, 'cannot store an inbound message yet; holding the partition');
        await new Promise((r) => setTimeout(r, delay));
        await heartbeat();
      }
    }
  }

  async function run(): Promise<void> {
    const c = createConsumer(kafka, options.groupId);
    consumer = c;
    // kafkajs restarts a consumer itself only after a retriable error; after any other it disconnects and stays
    // stopped, and the inbound topic would be read no more while the service looks healthy. Start it again.
    c.on(c.events.CRASH, ({ payload }) => {
      if (stopping || payload.restart || consumer !== c) return;
      consumer = undefined;
      deps.metrics.inboundRestarts.inc();
      // kafkajs's own errors carry protocol text only; it wraps any other in one of its own with the same message,
      // which might quote a message's content: then only the names are logged.
      const { name, message } = payload.error;
      const cause = rootCause(payload.error).name;
      log.error({ err: cause.startsWith('KafkaJS') ? { name, message } : { name, cause } }, 'inbound consumer stopped on an error; starting it again');
      void c.disconnect().catch(() => undefined);
      void start(1_000);
    });
    await c.connect();
    await c.subscribe({ topic: options.topic, fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachMessage: async (payload) => {
        const { topic, partition, message } = payload;
        const origin = `kafka:${topic}/${partition}/${message.offset}`;
        // The message's trace continues (its traceparent header), or one starts; the spine's span is its child.
        const result = await inConsumerSpan(topic, partition, message.headers, () => takeWithRetry(message, origin, () => payload.heartbeat()));
        deps.metrics.inboundMessages.inc({ outcome: result.outcome });
        if (result.outcome === 'quarantined') log.warn({ origin, quarantineId: result.quarantineId, reason: result.reasonCode }, 'inbound message quarantined');
        await c.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
  }

  const pause = (ms: number) =>
    new Promise<void>((r) => {
      wakeStart = r;
      setTimeout(r, ms).unref();
    }).finally(() => (wakeStart = undefined));

  /** Keeps trying until the broker answers (the service starts whether or not Kafka is there). */
  function start(firstPauseMs = 0): Promise<void> {
    starting = (async () => {
      if (firstPauseMs > 0) await pause(firstPauseMs);
      for (let delay = 500; !stopping; delay = Math.min(delay * 2, 15_000)) {
        try {
          await run();
          log.info('inbound consumer running');
          return;
        } catch (err) {
          await consumer?.disconnect().catch(() => undefined);
          consumer = undefined;
          log.warn({ err: { message: (err as Error).message }, retryInMs: delay }, 'cannot consume the inbound topic yet');
          await pause(delay);
        }
      }
    })();
    return starting;
  }

  return {
    start() {
      stopping = false;
      return start();
    },
    async stop() {
      stopping = true;
      wakeStart?.();
      // A start under way (connecting, joining the group) finishes first: kafkajs opens its sockets during connect
      // and join, and a disconnect in the middle of that left two of them open after shutdown.
      await starting?.catch(() => undefined);
      await consumer?.disconnect();
      consumer = undefined;
    },
  };
}
