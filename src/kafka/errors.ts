// Kafka failures sorted into "try again" and "will not work as sent", keeping the original as cause.

export class KafkaSendTimeoutError extends Error {
  constructor(ms: number) {
    super(`Kafka did not acknowledge within ${ms} ms; outcome unknown`);
    this.name = 'KafkaSendTimeoutError';
  }
}

/** The sender gave up waiting (it stops); the broker may or may not have the messages. */
export class KafkaSendAbortedError extends Error {
  constructor() {
    super('send given up by the sender; outcome unknown');
    this.name = 'KafkaSendAbortedError';
  }
}

export function isRetriableKafkaError(err: unknown): boolean {
  if (err instanceof KafkaSendTimeoutError) return true;
  const e = err as { retriable?: boolean; name?: string; cause?: unknown; originalError?: unknown } | null;
  if (!e) return false;
  if (e.retriable === true) return true;
  // Exhausted retries and connection failures mean "the broker is away", which passes.
  if (e.name && /NumberOfRetriesExceeded|Connection|RequestTimeout|BrokerNotFound|LeaderNotAvailable|NotLeader/i.test(e.name)) return true;
  if (e.originalError) return isRetriableKafkaError(e.originalError);
  return false;
}

export function describeKafkaError(err: unknown): string {
  const e = err as { name?: string; message?: string; type?: string } | null;
  return `${e?.name ?? 'Error'}: ${e?.type ? e.type + ': ' : ''}${e?.message ?? String(err)}`.slice(0, 500);
}
