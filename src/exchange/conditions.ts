// Conditions of grants and special-category rules, tested against a record. A missing field never matches:
// a grant whose condition cannot be decided is not given.
import { parsePath, valuesAt } from './field-paths.ts';
import type { Condition } from './policy.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whole years from one YYYY-MM-DD date to another. */
export function ageOn(birthDate: string, on: string): number | undefined {
  const b = DATE.exec(birthDate);
  const d = DATE.exec(on);
  if (!b || !d) return undefined;
  const years = Number(d[1]) - Number(b[1]);
  return `${d[2]}-${d[3]}` < `${b[2]}-${b[3]}` ? years - 1 : years;
}

const at = (record: unknown, path: string) => valuesAt(record, parsePath(path)).map((v) => v.value);

export function holds(c: Condition, record: unknown): boolean {
  if ('all' in c) return c.all.every((x) => holds(x, record));
  if ('any' in c) return c.any.some((x) => holds(x, record));
  if ('not' in c) return !holds(c.not, record);
  if ('in' in c) return at(record, c.field).some((v) => c.in.includes(v as string));
  if ('present' in c) return at(record, c.field).length > 0 === c.present;
  const births = at(record, c.field);
  const on = at(record, c.on)[0];
  return births.some((b) => {
    const age = typeof b === 'string' && typeof on === 'string' ? ageOn(b, on) : undefined;
    return age !== undefined && age < c.youngerThan;
  });
}
