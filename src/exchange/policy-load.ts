// Loads the exchange policy: YAML (or JSON) -> its JSON Schema -> checks against the record schemas. Every
// problem is reported at once with the place it sits (a path into the policy and its line), so a privacy officer
// can fix a broken policy in one round; the service does not start with one.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { checkPolicyAgainstSchemas, type KindSchema } from './policy-check.ts';
import type { ExchangePolicy } from './policy.ts';

export const POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));
export const DEFAULT_POLICY_FILE = `${POLICIES_DIR}exchange-policy.yaml`;

export class PolicyError extends Error {
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super(`invalid exchange policy ${file}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PolicyError';
    this.problems = problems;
  }
}

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validatePolicy = ajv.compile(JSON.parse(readFileSync(`${POLICIES_DIR}exchange-policy.schema.json`, 'utf8')) as object);

/** A place in the policy for a message: `kinds.advice.recipients.halt.fields["subject.bsn"]`. */
export function describePlace(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out || '(top level)';
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => {
      const key = s.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(key) ? Number(key) : key;
    });
}

function schemaProblem(e: ErrorObject): { path: (string | number)[]; text: string } {
  const path = pointerToPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path, text: `needs "${String(p['missingProperty'])}"` };
    case 'additionalProperties':
      return { path: [...path, String(p['additionalProperty'])], text: 'is not a known setting' };
    case 'unevaluatedProperties':
      return { path: [...path, String(p['unevaluatedProperty'])], text: 'is not a known setting' };
    case 'propertyNames':
      return { path, text: `has a name that is not allowed (${String(p['propertyName'])})` };
    case 'enum':
      return { path, text: `must be one of: ${(p['allowedValues'] as unknown[]).join(', ')}` };
    case 'oneOf':
      return { path, text: 'is not a condition: write {field, in}, {field, present}, {field, youngerThan, on}, {all}, {any} or {not}' };
    default:
      return { path, text: e.message ?? 'is invalid' };
  }
}

/** Reads, validates and checks a policy file; throws one PolicyError naming every problem. */
export function loadExchangePolicy(file: string, kinds: readonly KindSchema[]): ExchangePolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PolicyError(file, [`cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PolicyError(
      file,
      doc.errors.map((e) => `line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`),
    );
  }
  const data: unknown = doc.toJS();
  const where = (path: readonly (string | number)[]) => `${describePlace(path)}${lineOf(doc, lines, path)}`;
  if (!validatePolicy(data)) {
    // oneOf reports every branch's failure as well; the oneOf line alone says what to write.
    const errors = validatePolicy.errors ?? [];
    const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath);
    const problems = errors
      .filter((e) => e.keyword === 'oneOf' || !oneOfPaths.some((p) => e.schemaPath.startsWith(p + '/')))
      .map(schemaProblem)
      .map((p) => `${where(p.path)}: ${p.text}`);
    throw new PolicyError(file, [...new Set(problems)]);
  }
  const policy = data as ExchangePolicy;
  const problems = checkPolicyAgainstSchemas(policy, kinds).map((p) => `${where(p.path)}: ${p.text}`);
  if (problems.length > 0) throw new PolicyError(file, problems);
  return policy;
}

function lineOf(doc: Document, lines: LineCounter, path: readonly (string | number)[]): string {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return ` (line ${lines.linePos(node.range[0]).line})`;
  }
  return '';
}
