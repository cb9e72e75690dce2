// The checks a JSON Schema cannot make: every kind, recipient and field the policy names must exist, every
// transform must fit its field, and special-category data can only be granted under a rule that admits it.
import { parsePath, resolveInSchema, specialCategoryPaths } from './field-paths.ts';
import type { Condition, ExchangePolicy, KindPolicy } from './policy.ts';

export interface KindSchema {
  name: string;
  schemaFile: string;
  schema: Record<string, unknown>;
}

export interface PolicyProblem {
  path: (string | number)[];
  text: string;
}

type Schema = Record<string, unknown>;

const isDate = (s: Schema | undefined) => s?.['type'] === 'string' && s['format'] === 'date';

export function checkPolicyAgainstSchemas(policy: ExchangePolicy, kinds: readonly KindSchema[]): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const [name, kindPolicy] of Object.entries(policy.kinds)) {
    const kind = kinds.find((k) => k.name === name);
    if (!kind) {
      problems.push({ path: ['kinds', name], text: `is not a record kind the bridge knows (known: ${kinds.map((k) => k.name).join(', ')})` });
      continue;
    }
    problems.push(...checkKind(policy, kindPolicy, kind, ['kinds', name]));
  }
  return problems;
}

function checkKind(policy: ExchangePolicy, k: KindPolicy, kind: KindSchema, at: (string | number)[]): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const special = new Set(specialCategoryPaths(kind.schema).map((s) => s.path));
  const field = (path: string, where: (string | number)[]): Schema | undefined => {
    const resolved = resolveInSchema(kind.schema, parsePath(path));
    if (!resolved) problems.push({ path: where, text: `"${path}" is no field of ${kind.schemaFile}` });
    return resolved;
  };
  const condition = (c: Condition, where: (string | number)[]): void => {
    if ('all' in c) c.all.forEach((x, i) => condition(x, [...where, 'all', i]));
    else if ('any' in c) c.any.forEach((x, i) => condition(x, [...where, 'any', i]));
    else if ('not' in c) condition(c.not, [...where, 'not']);
    else {
      const f = field(c.field, [...where, 'field']);
      if ('youngerThan' in c) {
        const on = field(c.on, [...where, 'on']);
        if (f && !isDate(f)) problems.push({ path: [...where, 'field'], text: 'youngerThan needs a date field' });
        if (on && !isDate(on)) problems.push({ path: [...where, 'on'], text: 'youngerThan needs a date field to count on' });
      }
    }
  };

  const bases = k.accepts.map((a) => a.legalBasis);
  bases.forEach((b, i) => {
    if (bases.indexOf(b) !== i) problems.push({ path: [...at, 'accepts', i, 'legalBasis'], text: `legal basis ${b} is listed twice` });
  });

  const admitted = new Set<string>();
  (k.specialCategories ?? []).forEach((rule, i) => {
    const where = [...at, 'specialCategories', i];
    if (field(rule.field, [...where, 'field']) && !special.has(rule.field)) {
      problems.push({ path: [...where, 'field'], text: `"${rule.field}" is not marked as special-category data in ${kind.schemaFile}` });
    }
    admitted.add(rule.field);
    condition(rule.when, [...where, 'when']);
  });

  for (const [recipient, grant] of Object.entries(k.recipients)) {
    const where = [...at, 'recipients', recipient];
    if (!policy.recipients[recipient]) problems.push({ path: where, text: `recipient "${recipient}" is not declared under recipients` });
    if (grant.when) condition(grant.when, [...where, 'when']);
    if (grant.routeBy) {
      const by = field(grant.routeBy, [...where, 'routeBy']);
      if (by && by['type'] !== 'string') problems.push({ path: [...where, 'routeBy'], text: 'routeBy needs a text field holding a municipality code' });
    }
    if (Object.values(grant.fields).every((t) => t === 'drop')) problems.push({ path: [...where, 'fields'], text: 'grants no field (every entry is drop)' });
    for (const [path, transform] of Object.entries(grant.fields)) {
      const fieldAt = [...where, 'fields', path];
      const schema = field(path, fieldAt);
      if (!schema) continue;
      const type = schema['type'];
      if (transform === 'year' && !isDate(schema)) problems.push({ path: fieldAt, text: 'year only fits a date field' });
      if (transform === 'pseudonym' && type !== 'string') problems.push({ path: fieldAt, text: 'pseudonym only fits a text field' });
      if (transform !== 'drop' && special.has(path) && !admitted.has(path)) {
        problems.push({ path: fieldAt, text: `grants special-category data that no rule under specialCategories admits` });
      }
    }
  }
  return problems;
}
