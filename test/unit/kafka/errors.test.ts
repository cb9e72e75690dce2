import { describe, expect, it } from 'vitest';
import { describeKafkaError, isRetriableKafkaError, KafkaSendTimeoutError } from '../../../src/kafka/errors.ts';

describe('Kafka error sorting', () => {
  it('treats timeouts, retriable protocol errors and connection failures as passing', () => {
    expect(isRetriableKafkaError(new KafkaSendTimeoutError(100))).toBe(true);
    expect(isRetriableKafkaError({ name: 'KafkaJSProtocolError', retriable: true })).toBe(true);
    expect(isRetriableKafkaError({ name: 'KafkaJSNumberOfRetriesExceeded', retriable: false })).toBe(true);
    expect(isRetriableKafkaError({ name: 'KafkaJSConnectionError' })).toBe(true);
    expect(isRetriableKafkaError({ name: 'KafkaJSError', originalError: { name: 'KafkaJSConnectionClosedError' } })).toBe(true);
  });

  it('treats a non-retriable protocol error as fatal', () => {
    expect(isRetriableKafkaError({ name: 'KafkaJSProtocolError', retriable: false, type: 'MESSAGE_TOO_LARGE' })).toBe(false);
    expect(isRetriableKafkaError(null)).toBe(false);
  });

  it('describes an error in one bounded line', () => {
    expect(describeKafkaError({ name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE', message: 'too large' })).toBe(
      'KafkaJSProtocolError: MESSAGE_TOO_LARGE: too large',
    );
    expect(describeKafkaError(new Error('x'.repeat(1_000))).length).toBe(500);
  });
});
