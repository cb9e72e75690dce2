// Shared JSON Schemas for responses: the problem document (RFC 9457) and helpers to declare error responses.
import { FIELD_CODES, MAX_LISTED_ERRORS, PROBLEMS } from '../errors.ts';
import { MAX_FULLY_CHECKED_VALUES } from '../ingest/schemas.ts';
import { CRITERIA } from '../quality/criteria.ts';
import { qualitySchema } from './quality-schema.ts';

export const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', description: 'URI naming the kind of problem' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: Object.keys(PROBLEMS) },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description: `The problems found, each at a JSON pointer into the request body: at most ${MAX_LISTED_ERRORS}, in the order found (errorsOmitted counts the rest)`,
      items: {
        type: 'object',
        required: ['code', 'pointer', 'detail'],
        properties: {
          code: { type: 'string', enum: Object.keys(FIELD_CODES) },
          pointer: { type: 'string', description: 'RFC 6901 JSON pointer' },
          detail: { type: 'string' },
          criterion: { type: 'string', enum: [...CRITERIA], description: 'For quality findings: the criterion it fails' },
          rule: { type: 'string', description: 'For a refusal by the exchange policy: the place of the rule in the policy' },
        },
      },
    },
    errorsOmitted: {
      type: 'integer',
      minimum: 1,
      description:
        `Present when more problems were found than \`errors\` lists (at most ${MAX_LISTED_ERRORS}; in a batch answer its items share a budget): ` +
        `how many were left out. A record of more than ${MAX_FULLY_CHECKED_VALUES} values is checked only up to its first schema problem, which is then the one listed (the detail says so).`,
    },
  },
} as const;

/** The problem of a refused advice: the standard members plus the quality report (RFC 9457 extension member). */
export const qualityProblemSchema = {
  ...problemSchema,
  properties: {
    ...problemSchema.properties,
    quality: {
      ...qualitySchema,
      description: `When an advice is refused on quality: every criterion and finding, warnings included. ${qualitySchema.description}`,
    },
  },
} as const;

export function problemResponse(description: string, schema: Record<string, unknown> = problemSchema) {
  return { description, content: { 'application/problem+json': { schema } } };
}
