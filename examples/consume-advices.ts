// A minimal consumer of the bridge's advice topic, as a ZSM system would write it: reads CloudEvents in Kafka
// binary mode, drops duplicates by ce_id, and commits only after handling; with --asyncapi it checks each value
// against the payload schema the bridge's AsyncAPI document gives for its topic and type. Run against the local broker:
//   npm run example:consume -- --topic bridge.advice.om-zsm.v1 [--brokers 127.0.0.1:9092] [--max 10]
//     [--asyncapi http://localhost:8080/v1/asyncapi.json]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { Kafka, logLevel } from 'kafkajs';

const { values } = parseArgs({
  options: {
    topic: { type: 'string', default: 'bridge.advice.om-zsm.v1' },
    brokers: { type: 'string', default: process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092' },
    group: { type: 'string', default: 'example-zsm-consumer' },
    max: { type: 'string', default: '0' }, // stop after this many new events (0: run until Ctrl-C)
    asyncapi: { type: 'string' }, // the bridge's AsyncAPI document: its URL (GET /v1/asyncapi.json) or a saved copy
  },
});

type AsyncApi = { channels: Record<string, { address: string; messages: Record<string, { name: string; payload: object }> }> };

/** The payload schema of each message type on this topic, compiled once. A regional channel's address has a
 * `{region}` parameter: it matches any region's topic. */
async function payloadValidators(source: string, topic: string): Promise<Map<string, ValidateFunction>> {
  const text = /^https?:/.test(source) ? await (await fetch(source)).text() : readFileSync(source, 'utf8');
  const doc = JSON.parse(text) as AsyncApi;
  const matches = (address: string) => new RegExp(`^${address.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^.]+')}$`).test(topic);
  const channel = Object.values(doc.channels).find((c) => matches(c.address));
  if (!channel) throw new Error(`the AsyncAPI document has no channel for ${topic}`);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
  return new Map(Object.values(channel.messages).map((m) => [m.name, ajv.compile(m.payload)]));
}
const validators = values.asyncapi ? await payloadValidators(values.asyncapi, values.topic) : undefined;

const kafka = new Kafka({ clientId: 'example-zsm-consumer', brokers: values.brokers.split(','), logLevel: logLevel.WARN });
const consumer = kafka.consumer({ groupId: values.group });

// In production this is a table with a unique index on (ce_source, ce_id), written in the same transaction as
// the handling. A resend after a bridge or broker failure carries the same ce_id and is dropped here.
const seen = new Set<string>();
let handled = 0;
const max = Number(values.max);

await consumer.connect();
await consumer.subscribe({ topic: values.topic, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ message }) => {
    const header = (name: string) => message.headers?.[name]?.toString();
    const id = `${header('ce_source')}|${header('ce_id')}`;
    if (seen.has(id)) return;
    seen.add(id);
    const type = header('ce_type');
    const validate = validators && validators.get(type ?? '');
    if (validators && !validate?.(JSON.parse(message.value?.toString() ?? 'null'))) {
      // A message the contract does not describe: in production, park it for a person to look at. The error names
      // schema paths only, never a value.
      process.stderr.write(
        `${type} ${header('ce_id')}: not as the AsyncAPI document describes: ${validate ? JSON.stringify(validate.errors?.map((e) => `${e.instancePath} ${e.message}`)) : 'unknown type'}\n`,
      );
      return;
    }
    // Log ids, never the subject's personal data.
    if (type === 'nl.justitieketen.zsm.advice.expired') {
      // The advice may no longer be used: here you would mark it so in your own store.
      const data = JSON.parse(message.value?.toString() ?? '{}') as { recordId: string; adviceId: string; version: number; validUntil: string };
      process.stdout.write(`${type} ${header('ce_id')} record=${data.recordId} advice=${data.adviceId} v${data.version} validUntil=${data.validUntil}\n`);
    } else {
      const data = JSON.parse(message.value?.toString() ?? '{}') as {
        recordId: string;
        record: { adviceId: string; version: number; recommendation?: { disposal: string } };
        quality?: { criteria: Record<string, string> };
      };
      const warned = Object.entries(data.quality?.criteria ?? {})
        .filter(([, outcome]) => outcome !== 'met')
        .map(([c]) => c);
      process.stdout.write(
        `${type} ${header('ce_id')} record=${data.recordId} advice=${data.record.adviceId} v${data.record.version} disposal=${data.record.recommendation?.disposal ?? '-'} quality=${warned.length ? `warnings:${warned.join(',')}` : 'met'}\n`,
      );
    }
    handled++;
    if (max > 0 && handled >= max) setImmediate(() => void consumer.disconnect());
  },
});
