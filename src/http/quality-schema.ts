// The quality report as clients see it, in the receipt (202) and in a refusal (422). Fastify serialises
// responses by their schema, so every member is declared here or it would be dropped.
import { CRITERIA, QUALITY_CODES } from '../quality/criteria.ts';
import { LANGUAGES } from '../quality/language.ts';

const OUTCOMES = ['met', 'warning', 'refused'];

export const qualitySchema = {
  type: 'object',
  description:
    "The advice's quality against the work plan's criteria. Per criterion: met, met with a warning, or refused; " +
    'per finding a stable code and a message in the language chosen by Accept-Language (en, nl).',
  required: ['language', 'criteria', 'findings'],
  properties: {
    language: { type: 'string', enum: [...LANGUAGES], description: 'Language of the messages' },
    criteria: {
      type: 'object',
      required: [...CRITERIA],
      properties: Object.fromEntries(CRITERIA.map((c) => [c, { type: 'string', enum: OUTCOMES }])),
    },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['criterion', 'code', 'severity', 'pointer', 'message'],
        properties: {
          criterion: { type: 'string', enum: [...CRITERIA] },
          code: { type: 'string', enum: Object.keys(QUALITY_CODES) },
          severity: { type: 'string', enum: ['refuse', 'warn'] },
          pointer: { type: 'string', description: 'RFC 6901 JSON pointer into the advice ("" is the whole advice)' },
          message: { type: 'string' },
        },
      },
    },
  },
} as const;
