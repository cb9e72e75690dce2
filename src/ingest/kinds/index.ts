import { adviceKind } from './advice.ts';

/** Every kind of record the bridge accepts, by name. */
export const KINDS = {
  advice: adviceKind,
} as const;

export type KindName = keyof typeof KINDS;
export type { RecordKind } from './kind.ts';
