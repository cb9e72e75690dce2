// Field paths as the exchange policy writes them: `subject.bsn`, `recommendation.conditions[].code`. A privacy
// officer reads dots more easily than JSON pointers; `[]` means "every element of this array".
// The same paths resolve against a kind's JSON Schema (so a typo in the policy stops the service at start) and
// against a record (to test conditions and to find special-category data).

export const EVERY = '[]';

// The paths come from the policy (a few dozen), and conditions and the fields a view holds are tested on every
// record: parsed once each, not once per record, as the regular expression showed in an ingest's CPU profile.
const parsed = new Map<string, readonly string[]>();

/** `a.b[].c` -> ['a', 'b', '[]', 'c'] (frozen: shared by every caller). Throws on an empty segment. */
export function parsePath(path: string): readonly string[] {
  let segments = parsed.get(path);
  if (!segments) parsed.set(path, (segments = Object.freeze(parseUncached(path))));
  return segments;
}

function parseUncached(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('.')) {
    const m = /^([A-Za-z0-9_-]+)((?:\[\])*)$/.exec(part);
    if (!m) throw new Error(`"${path}" is not a field path (write it as name.name[].name)`);
    out.push(m[1]!);
    for (let i = 0; i < m[2]!.length / 2; i++) out.push(EVERY);
  }
  return out;
}

export function formatPath(segments: readonly string[]): string {
  return segments.reduce((acc, s) => (s === EVERY ? `${acc}[]` : acc ? `${acc}.${s}` : s), '');
}

type Schema = Record<string, unknown>;

/** The sub-schema a path names, or undefined when the schema has no such field. */
export function resolveInSchema(schema: Schema, segments: readonly string[]): Schema | undefined {
  let node: Schema | undefined = schema;
  for (const seg of segments) {
    if (!node) return undefined;
    if (seg === EVERY) node = node['type'] === 'array' ? (node['items'] as Schema | undefined) : undefined;
    else node = (node['properties'] as Record<string, Schema> | undefined)?.[seg];
  }
  return node;
}

export const SPECIAL_CATEGORY_KEYWORD = 'x-special-category';

/** Every field the schema marks as special-category data (AVG art. 9), with its category. */
export function specialCategoryPaths(schema: Schema): { path: string; category: string }[] {
  const found: { path: string; category: string }[] = [];
  const walk = (node: Schema, at: string[]) => {
    const category = node[SPECIAL_CATEGORY_KEYWORD];
    if (typeof category === 'string') found.push({ path: formatPath(at), category });
    for (const [key, child] of Object.entries((node['properties'] as Record<string, Schema> | undefined) ?? {})) walk(child, [...at, key]);
    if (node['type'] === 'array' && node['items']) walk(node['items'] as Schema, [...at, EVERY]);
  };
  walk(schema, []);
  return found;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Whether the record holds any value at the path (what valuesAt would find, without building pointers). */
export function hasValueAt(value: unknown, segments: readonly string[], from = 0): boolean {
  if (from === segments.length) return true;
  const seg = segments[from]!;
  if (seg === EVERY) return Array.isArray(value) && value.some((v) => hasValueAt(v, segments, from + 1));
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.hasOwn(value, seg) &&
    hasValueAt((value as Record<string, unknown>)[seg], segments, from + 1)
  );
}

/** Every value present at a path in a record, with its JSON pointer. */
export function valuesAt(record: unknown, segments: readonly string[]): { pointer: string; value: unknown }[] {
  let current: { pointer: string; value: unknown }[] = [{ pointer: '', value: record }];
  for (const seg of segments) {
    const next: { pointer: string; value: unknown }[] = [];
    for (const { pointer, value } of current) {
      if (seg === EVERY) {
        if (Array.isArray(value)) value.forEach((v, i) => next.push({ pointer: `${pointer}/${i}`, value: v }));
      } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, seg)) {
        next.push({ pointer: `${pointer}/${escapePointer(seg)}`, value: (value as Record<string, unknown>)[seg] });
      }
    }
    current = next;
  }
  return current;
}
