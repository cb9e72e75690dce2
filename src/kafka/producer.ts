// An idempotent producer for the relay. kafkajs keeps a send to an unreachable broker pending for as long as
// the broker is away, so every send here has a deadline of its own; after a timeout the producer is replaced,
// so that a stale pending send cannot interleave with the retry.
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from '../logger.ts';
import { endSpans, headersFor, startSendSpans } from '../observability/tracing.ts';
import { KafkaSendAbortedError, KafkaSendTimeoutError } from './errors.ts';

export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface MessageProducer {
  /** Resolves once the broker acknowledged every message (acks = all); rejects on error, on the deadline, or when
   * `signal` aborts (the caller stops: what the broker does with the messages is then unknown, as after a deadline). */
  send(messages: OutgoingMessage[], deadlineMs: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * No retries inside kafkajs: every failed send fails as a whole, and the relay sends the whole batch again (a
 * duplicate carries the same ce_id). kafkajs's own retry of a batch that spans several partition leaders keeps
 * the answers of the brokers that answered the first attempt, and sends again only to brokers without an answer
 * (kafkajs 2.2.4, src/producer/sendMessages.js): when a failed partition's leadership has moved to a broker that
 * had answered, that partition's messages are never sent, yet the send resolves. On a three-node cluster a leader
 * kill lost acknowledged messages that way (docs/reliability.md, the topology campaign). Without retries the
 * idempotent producer cannot be used (kafkajs refuses it); order per partition is kept by one request in flight
 * and by the relay, which sends a subject's next message only after the batch before it was acknowledged.
 */
export const PRODUCER_CONFIG = {
  idempotent: false,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  // The murmur2 partitioner of the Java client: a subject's key lands on the same partition for every client.
  createPartitioner: Partitioners.DefaultPartitioner,
  retry: { retries: 0 },
} as const;

export function createMessageProducer(kafka: Kafka, logger: Logger): MessageProducer {
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
  let closed = false;

  const fresh = (): Producer => kafka.producer(PRODUCER_CONFIG);

  async function get(): Promise<Producer> {
    if (closed) throw new Error('Kafka producer is closed');
    if (producer) return producer;
    connecting ??= (async () => {
      const p = fresh();
      try {
        await p.connect();
      } catch (err) {
        await p.disconnect().catch(() => undefined);
        throw err;
      } finally {
        connecting = undefined;
      }
      // A close() that ran while this connect was under way must not leave an open socket behind.
      if (closed) {
        await p.disconnect().catch(() => undefined);
        throw new Error('Kafka producer is closed');
      }
      producer = p;
      return p;
    })();
    return connecting;
  }

  const retiring = new Set<Promise<void>>();
  const retired = new Set<Producer>();

  /** Replaces the producer after a failed or timed-out send. It is disconnected once that send has settled:
   * kafkajs retries (and reconnects) inside a pending send, so disconnecting earlier could leave a socket that
   * nothing closes. Its retries are bounded, so the send does settle. */
  function retire(lastSend: Promise<unknown>): void {
    const p = producer;
    producer = undefined;
    if (!p) return;
    retired.add(p);
    const done = lastSend
      .then(
        () => p.disconnect(),
        () => p.disconnect(),
      )
      .catch(() => undefined);
    retiring.add(done);
    void done.finally(() => {
      retiring.delete(done);
      retired.delete(p);
    });
  }

  return {
    async send(messages, deadlineMs, signal) {
      // With tracing, a send span per message, the child of the trace its outbox row stored, whose id the message's
      // traceparent then carries: the trace of the request that stored it reaches the recipient.
      const spans = startSendSpans(messages);
      const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
      for (const [i, m] of messages.entries()) {
        let list = byTopic.get(m.topic);
        if (!list) byTopic.set(m.topic, (list = []));
        list.push({ key: m.key, value: m.value, headers: spans ? headersFor(spans[i]!, m.headers) : m.headers });
      }
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new KafkaSendTimeoutError(deadlineMs)), deadlineMs);
        onAbort = () => reject(new KafkaSendAbortedError());
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
      });
      const attempt = (async () => {
        const p = await get();
        await p.sendBatch({
          acks: -1,
          timeout: deadlineMs,
          topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
        });
      })();
      attempt.catch(() => undefined); // a late rejection after the deadline is expected, not unhandled
      try {
        await Promise.race([attempt, deadline]);
        endSpans(spans);
      } catch (err) {
        endSpans(spans, err);
        logger.debug({ err: { name: (err as Error).name } }, 'send failed; replacing the producer');
        retire(attempt);
        throw err;
      } finally {
        clearTimeout(timer);
        if (onAbort) signal?.removeEventListener('abort', onAbort);
      }
    },
    async close() {
      closed = true;
      await connecting?.catch(() => undefined);
      const p = producer;
      producer = undefined;
      await p?.disconnect().catch(() => undefined);
      // At shutdown nothing more is sent: retired producers are disconnected now, not after their last send.
      await Promise.all([...retired].map((r) => r.disconnect().catch(() => undefined)));
      await Promise.race([Promise.all([...retiring]), sleep(2_000)]);
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
