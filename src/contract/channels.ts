// Every topic the bridge writes, with the kinds of message on it and the schema of each one's data: the one list
// that both the served data schemas (GET /v1/schemas/{topic}/{type}, src/http/schemas.ts) and the AsyncAPI
// document (asyncapi.ts) are made from, so the two cannot disagree. Made once at start from the exchange policy.
import { specialCategoryPaths } from '../exchange/field-paths.ts';
import type { ExchangePolicy } from '../exchange/policy.ts';
import { compileView } from '../exchange/views.ts';
import { QUARANTINE_EVENT_TYPE } from '../inbound/take-case-event.ts';
import { KINDS } from '../ingest/kinds/index.ts';
import { readSchema } from '../ingest/schemas.ts';
import { topicName } from '../kafka/topics.ts';
import { acceptedSchema, deadLetterSchema, expiredSchema, viewSchema } from '../outbox/data-schemas.ts';
import type { RegionDirectory } from '../regions/regions.ts';

export type Schema = Record<string, unknown>;

export interface ContractDeps {
  policy: ExchangePolicy;
  regions: RegionDirectory;
  topicPrefix: string;
  deadLetterTopic: string;
}

export interface OutgoingMessage {
  type: string;
  /** The data's JSON Schema, with `$id` set to where it is served for one topic. */
  schema: (id: string) => Schema;
}

export interface OutgoingChannel {
  /** `<kind>.<grant>`: the policy's grant (a regional grant's name, shared by its regions) or `dead-letter`. */
  id: string;
  kind: string;
  grant: string;
  /** Who receives it, from the policy (or who reads the dead letter). */
  title: string;
  /** Why it receives what it does: the grant's `why` (or what the dead letter is for). */
  description: string;
  /** The topics: one, or one per region for a grant routed by region. */
  topics: string[];
  /** For a grant routed by region: the address with `{region}` for the region's recipient id, and those ids. */
  byRegion?: { address: string; recipients: string[] };
  /** Whether the key is the subject's pseudonym for the recipient (else the quarantine id of a dead letter). */
  keyedByPseudonym: boolean;
  messages: OutgoingMessage[];
}

/** Every channel the bridge sends on, in the policy's order, the dead letter last. */
export function outgoingChannels(deps: ContractDeps): OutgoingChannel[] {
  const out: OutgoingChannel[] = [];
  for (const kind of Object.values(KINDS)) {
    const policy = deps.policy.kinds[kind.name];
    if (!policy) continue;
    const schema = readSchema(kind.schemaFile);
    const special = specialCategoryPaths(schema).map((s) => s.path);
    for (const [grant, spec] of Object.entries(policy.recipients)) {
      const view = viewSchema(schema, compileView(spec.fields, special));
      const recipients = spec.routeBy ? deps.regions.regions.map((r) => r.recipient) : [grant];
      const messages: OutgoingMessage[] = [
        { type: kind.eventType, schema: (id) => acceptedSchema(id, kind.name, kind.eventType, view, kind.assess !== undefined) },
      ];
      const expired = kind.expiredEventType;
      if (expired) messages.push({ type: expired, schema: (id) => expiredSchema(id, expired) });
      out.push({
        id: `${kind.name}.${grant}`,
        kind: kind.name,
        grant,
        title: `${kind.name} to ${deps.policy.recipients[grant]?.name ?? grant}`,
        description: spec.why,
        topics: recipients.map((r) => topicName(deps.topicPrefix, kind.name, r)),
        ...(spec.routeBy && { byRegion: { address: topicName(deps.topicPrefix, kind.name, '{region}'), recipients } }),
        keyedByPseudonym: true,
        messages,
      });
    }
  }
  out.push({
    id: 'case-event.dead-letter',
    kind: 'case-event',
    grant: 'dead-letter',
    title: 'case-event dead letters, to operators',
    description: 'For operators: one message per inbound case event the bridge could not take, without its content.',
    topics: [deps.deadLetterTopic],
    keyedByPseudonym: false,
    messages: [{ type: QUARANTINE_EVENT_TYPE, schema: (id) => deadLetterSchema(id, QUARANTINE_EVENT_TYPE) }],
  });
  return out;
}
