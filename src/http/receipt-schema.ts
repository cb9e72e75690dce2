import { qualitySchema } from './quality-schema.ts';

export const receiptSchema = {
  type: 'object',
  description: 'Receipt: the record is stored and will be delivered',
  required: ['id', 'kind', 'source', 'externalId', 'version', 'status', 'receivedAt', 'statusUrl'],
  properties: {
    id: { type: 'string', format: 'uuid', description: "The bridge's id of the record" },
    kind: { type: 'string' },
    source: { type: 'string', description: 'OIN of the issuing organisation' },
    externalId: { type: 'string', description: "The issuer's id of the record" },
    version: { type: 'integer' },
    status: { type: 'string', enum: ['accepted'] },
    receivedAt: { type: 'string', format: 'date-time' },
    statusUrl: { type: 'string', description: 'Where the state of the record and its deliveries can be read' },
    redacted: {
      type: 'array',
      description:
        'Only when the exchange policy redacts identifiers in free text (identifiersInText: redact) and it did: each place where a BSN, or the subject\'s name or date of birth, was replaced by the marker "[verwijderd]" in the views of the recipients named, which are not granted that identifier. The other recipients received the text as sent. Never the value.',
      items: {
        type: 'object',
        required: ['pointer', 'code', 'recipients'],
        properties: {
          pointer: { type: 'string', description: 'JSON pointer into the record' },
          code: { type: 'string', enum: ['BSN_IN_TEXT', 'SUBJECT_NAME_IN_TEXT', 'SUBJECT_BIRTH_DATE_IN_TEXT'] },
          recipients: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    quality: { ...qualitySchema, description: `Advices only. ${qualitySchema.description} The same findings travel to ZSM with the advice.` },
  },
} as const;
