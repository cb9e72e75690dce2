// Shared JSON Schemas for responses: the problem document (RFC 9457) and helpers to declare error responses.
import { FIELD_CODES, PROBLEMS } from '../errors.ts';

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
      description: 'Every problem found, each at a JSON pointer into the request body',
      items: {
        type: 'object',
        required: ['code', 'pointer', 'detail'],
        properties: {
          code: { type: 'string', enum: Object.keys(FIELD_CODES) },
          pointer: { type: 'string', description: 'RFC 6901 JSON pointer' },
          detail: { type: 'string' },
          rule: { type: 'string', description: 'For a refusal by the exchange policy: the place of the rule in the policy' },
        },
      },
    },
  },
} as const;

export function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: problemSchema } } };
}
