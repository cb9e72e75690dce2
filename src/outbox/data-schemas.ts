// The JSON Schema of each message's data, as the `dataschema` attribute names it (GET /v1/schemas/{topic}/{type}).
// A recipient's view schema is the record's schema walked with the same grant tree that builds the view
// (src/exchange/views.ts): only granted fields, a pseudonymised one as a pseudonym, a year as an integer,
// special-category fields withheld unless named. Made once at start; nothing here runs per message.
import { EVERY } from '../exchange/field-paths.ts';
import type { Transform } from '../exchange/policy.ts';
import type { ViewSpec } from '../exchange/views.ts';

type Schema = Record<string, unknown>;
type Node = ViewSpec['tree'];

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

export const PSEUDONYM: Schema = {
  type: 'string',
  pattern: '^k[0-9]+\\.[A-Za-z0-9_-]{22}$',
  description: "A keyed pseudonym in the recipient's domain (never the value it stands for).",
};

const copy = (s: unknown): Schema => structuredClone(s) as Schema;

function applied(transform: Transform, schema: Schema): Schema | undefined {
  switch (transform) {
    case 'keep':
      return copy(schema);
    case 'pseudonym':
      return { ...PSEUDONYM };
    case 'year':
      return { type: 'integer', minimum: 1000, maximum: 9999, description: 'The year of the date only.' };
    case 'drop':
      return undefined;
  }
}

/** The schema of what `project` in views.ts yields for a value of `schema`, or undefined when nothing passes. */
function projectSchema(schema: Schema, node: Node, inherited?: Transform): Schema | undefined {
  const transform = node.transform ?? inherited;
  if (transform === 'drop') return undefined;
  const own = transform ? applied(transform, schema) : undefined;
  if (node.children.size === 0) return own;
  const below = transform === 'keep' ? 'keep' : undefined;
  if (schema['type'] === 'array') {
    const item = node.children.get(EVERY);
    const items = item && schema['items'] ? projectSchema(schema['items'] as Schema, item, below) : undefined;
    if (!items) return own;
    return { ...(own ?? { type: 'array' }), items, minItems: 1 };
  }
  const props = schema['properties'] as Record<string, Schema> | undefined;
  if (!props) return own;
  const properties: Record<string, Schema> = own ? { ...(own['properties'] as Record<string, Schema> | undefined) } : {};
  for (const [key, child] of node.children) {
    if (key === EVERY) continue;
    const projected = props[key] ? projectSchema(props[key], child, below) : undefined;
    if (projected === undefined) delete properties[key];
    else properties[key] = projected;
  }
  if (Object.keys(properties).length === 0) return undefined;
  // A kept object keeps its required members that remain; an object made of named parts requires none (a part
  // the record lacks, or one its transform empties, is absent).
  const required = own ? ((own['required'] as string[] | undefined) ?? []).filter((k) => k in properties) : [];
  const out: Schema = { ...(own ?? { type: 'object', additionalProperties: false }), properties };
  if (required.length > 0) out['required'] = required;
  else delete out['required'];
  return out;
}

/** A recipient's view of a record, as a schema. */
export function viewSchema(recordSchema: Schema, view: ViewSpec): Schema {
  const projected = projectSchema(recordSchema, view.tree) ?? { type: 'object', additionalProperties: false, properties: {} };
  const { $schema: _s, $id: _i, ...rest } = projected;
  return rest;
}

const isoTime = { type: 'string', format: 'date-time' };
const uuid = { type: 'string', format: 'uuid' };

function document(id: string, title: string, description: string, body: Schema): Schema {
  return { $schema: DRAFT, $id: id, title, description, ...body };
}

const holdsIncidents = (record: Schema): boolean => {
  const dv = (record['properties'] as Record<string, Schema> | undefined)?.['domesticViolence'];
  return (dv?.['properties'] as Record<string, Schema> | undefined)?.['incidents'] !== undefined;
};

/** The data of an accepted record's message: the envelope around the recipient's view (docs/consuming.md). */
export function acceptedSchema(id: string, kind: string, type: string, record: Schema, withQuality: boolean): Schema {
  return document(id, `${type} (${kind})`, `The data of a ${type} event on this topic: the envelope and this recipient's view of the ${kind}.`, {
    type: 'object',
    additionalProperties: false,
    required: ['recordId', 'kind', 'acceptedAt', 'disclosure', 'record'],
    properties: {
      recordId: { ...uuid, description: "The bridge's id of the record (GET /v1/records/{id})." },
      kind: { const: kind },
      acceptedAt: { ...isoTime, description: 'When the bridge accepted the record; equal to the event time.' },
      disclosure: {
        type: 'object',
        additionalProperties: false,
        required: ['legalBasis', 'purpose', 'policyVersion'],
        properties: { legalBasis: { type: 'string' }, purpose: { type: 'string' }, policyVersion: { type: 'string' } },
      },
      record: { ...record, description: "This recipient's view of the record: the granted fields only." },
      ...(withQuality && {
        quality: { type: 'object', description: 'How the advice meets the quality criteria, limited to fields in this view (docs/consuming.md).' },
      }),
      // Added by the enrichment (src/ingest/enrich.ts) only for a view that holds the incidents.
      ...(holdsIncidents(record) && {
        incidentHistory: {
          type: 'array',
          description: "The advice's incidents plus those the bridge knows from ZSM case events about the same person, oldest first (docs/consuming.md).",
          items: { type: 'object', required: ['sources'], properties: { sources: { type: 'array', items: { type: 'object' } } } },
        },
      }),
    },
  });
}

/** The data of an advice's expiry notice: ids the recipient already has and the dates (decision 0051). */
export function expiredSchema(id: string, type: string): Schema {
  return document(id, type, 'An advice version passed its valid-until date: stop using it.', {
    type: 'object',
    additionalProperties: false,
    required: ['recordId', 'kind', 'adviceId', 'version', 'validUntil', 'expiredAt'],
    properties: {
      recordId: uuid,
      kind: { const: 'advice' },
      adviceId: { type: 'string' },
      version: { type: 'integer', minimum: 1 },
      validUntil: { type: 'string', format: 'date' },
      expiredAt: { ...isoTime, description: 'When the bridge marked it expired; equal to the event time.' },
    },
  });
}

/** The data of a dead letter: an inbound message the bridge could not take, without its content. */
export function deadLetterSchema(id: string, type: string): Schema {
  return document(id, type, 'An inbound case event was quarantined; the message itself is not repeated.', {
    type: 'object',
    additionalProperties: false,
    required: ['quarantineId', 'reasonCode', 'reasons', 'origin', 'quarantinedAt', 'eventId', 'subjectKey', 'href'],
    properties: {
      quarantineId: uuid,
      reasonCode: { type: 'string' },
      reasons: {
        type: 'array',
        maxItems: 50,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['code', 'pointer'],
          properties: { code: { type: 'string' }, pointer: { type: 'string' }, rule: { type: 'string' }, criterion: { type: 'string' } },
        },
      },
      origin: { type: 'string' },
      quarantinedAt: { ...isoTime, description: 'When the bridge quarantined the message; equal to the event time.' },
      eventId: { type: ['string', 'null'] },
      subjectKey: { anyOf: [PSEUDONYM, { type: 'null' }] },
      href: { type: 'string' },
    },
  });
}
