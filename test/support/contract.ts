// The AsyncAPI contract, checked on every message the suite reads: each test bridge registers the document it
// serves (GET /v1/asyncapi.json: asyncApiDocument of its own policy and topic prefix), and readTopic checks each message's
// value, headers and key against the schemas of its channel's message. A topic no registered document has a
// channel for fails: the bridge sends nothing it does not describe.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import type { WireMessage } from './cloudevents.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

interface Channel {
  id: string;
  address: RegExp;
  messages: { name: string; payload: () => ValidateFunction; headers: () => ValidateFunction; key: () => ValidateFunction }[];
}

const channels: Channel[] = [];
let registered = 0;
// One validator for every document: each is added under a key of its own, and the schemas inside carry no $id.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Doc = { channels: Record<string, { address: string; parameters?: Record<string, { enum: string[] }>; messages: Record<string, { name: string }> }> };

const pending: (() => unknown)[] = [];

/** Adds a bridge's AsyncAPI document to the contracts readTopic checks against; made when a message is first
 * checked, so that starting a bridge costs nothing more. */
export function registerContract(document: () => unknown): void {
  pending.push(document);
}

function load(document: unknown): void {
  const key = `asyncapi-${++registered}`;
  ajv.addSchema(document as object, key);
  for (const [id, channel] of Object.entries((document as Doc).channels)) {
    let pattern = escape(channel.address);
    for (const [name, p] of Object.entries(channel.parameters ?? {})) pattern = pattern.replace(`\\{${name}\\}`, `(${p.enum.map(escape).join('|')})`);
    // Compiled when first needed: most bridges' documents are never read against.
    const at = (m: string, part: string): (() => ValidateFunction) => {
      let v: ValidateFunction | undefined;
      return () => (v ??= ajv.compile({ $ref: `${key}#/channels/${id}/messages/${m}/${part}` }));
    };
    channels.push({
      id,
      address: new RegExp(`^${pattern}$`),
      messages: Object.entries(channel.messages).map(([m, message]) => ({
        name: message.name,
        payload: at(m, 'payload'),
        headers: at(m, 'headers'),
        key: at(m, 'bindings/kafka/key'),
      })),
    });
  }
}

/** Checks one message against its channel's message in the registered documents. */
export function assertMatchesContract(m: WireMessage): void {
  for (const document of pending.splice(0)) load(document());
  const where = `${m.topic} ${m.headers['ce_id'] ?? '(no id)'}`;
  const matching = channels.filter((c) => c.address.test(m.topic));
  expect(matching.length, `${where}: no channel of a registered AsyncAPI document has this address`).toBeGreaterThan(0);
  const channel = matching[matching.length - 1]!;
  const message = channel.messages.length === 1 ? channel.messages[0] : channel.messages.find((x) => x.name === m.headers['ce_type']);
  expect(message, `${where}: channel ${channel.id} has no message ${m.headers['ce_type']}`).toBeDefined();
  const check = (validator: () => ValidateFunction, value: unknown, part: string) => {
    const validate = validator();
    expect(validate(value), `${where}: ${part} against ${channel.id}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  };
  check(message!.payload, JSON.parse(m.value) as unknown, 'value');
  check(message!.headers, m.headers, 'headers');
  check(message!.key, m.key, 'key');
}
