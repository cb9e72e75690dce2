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
    quality: { ...qualitySchema, description: `Advices only. ${qualitySchema.description} The same findings travel to ZSM with the advice.` },
  },
} as const;
