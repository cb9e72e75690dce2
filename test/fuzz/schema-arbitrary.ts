// Random values shaped by a JSON Schema (the subset the contract schemas use): mostly valid in shape, often
// invalid in detail (patterns stretched, dates that break the rules), which is what a fuzz campaign wants.
import fc from 'fast-check';

type Schema = Record<string, unknown>;

const isoDate = fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

function stringFrom(s: Schema): fc.Arbitrary<string> {
  if (s['format'] === 'date') return isoDate;
  if (s['format'] === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (s['format'] === 'email') return fc.emailAddress();
  if (typeof s['pattern'] === 'string') return fc.stringMatching(new RegExp(s['pattern']));
  const minLength = typeof s['minLength'] === 'number' ? s['minLength'] : 0;
  const maxLength = Math.min(typeof s['maxLength'] === 'number' ? s['maxLength'] : 200, 80);
  const bounds = { minLength, maxLength: Math.max(minLength, maxLength) };
  // Plain text, and any code point at all (control characters, astral planes).
  return fc.oneof(fc.string(bounds), fc.string({ ...bounds, unit: 'binary' }));
}

export function fromSchema(schema: Schema): fc.Arbitrary<unknown> {
  if (Array.isArray(schema['enum'])) return fc.constantFrom(...(schema['enum'] as unknown[]));
  switch (schema['type']) {
    case 'object': {
      const props = (schema['properties'] ?? {}) as Record<string, Schema>;
      const required = new Set((schema['required'] ?? []) as string[]);
      const entries = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fromSchema(v)]));
      // Required keys always, optional ones sometimes.
      return fc.record(entries, { requiredKeys: [...required].filter((k) => k in props) });
    }
    case 'array': {
      const max = Math.min(typeof schema['maxItems'] === 'number' ? schema['maxItems'] : 5, 4);
      return fc.array(fromSchema((schema['items'] ?? {}) as Schema), { maxLength: max });
    }
    case 'string':
      return stringFrom(schema);
    case 'integer':
      return fc.integer({
        min: typeof schema['minimum'] === 'number' ? schema['minimum'] : -1e9,
        max: typeof schema['maximum'] === 'number' ? schema['maximum'] : 1e9,
      });
    case 'boolean':
      return fc.boolean();
    default:
      return fc.jsonValue();
  }
}
