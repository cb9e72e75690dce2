import type { KindSchema } from '../../exchange/policy-check.ts';
import { readSchema } from '../schemas.ts';
import { adviceKind } from './advice.ts';
import { caseEventKind } from './case-event.ts';

/** Every kind of record the bridge accepts, by name. */
export const KINDS = {
  advice: adviceKind,
  'case-event': caseEventKind,
} as const;

export type KindName = keyof typeof KINDS;
export type { RecordKind } from './kind.ts';

/** Each kind with its schema, for checking the exchange policy against the fields that exist. */
export function kindSchemas(): KindSchema[] {
  return Object.values(KINDS).map((k) => ({ name: k.name, schemaFile: k.schemaFile, schema: readSchema(k.schemaFile) }));
}
