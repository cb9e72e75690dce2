// A recipient's view of a record: only the granted fields, each through its transform. Built by walking the
// grant as a tree over the record, never by removing fields from a copy, so a field the grant does not name
// cannot slip through. Special-category fields inside a granted object are left out unless named themselves.
import { EVERY, parsePath } from './field-paths.ts';
import type { Transform } from './policy.ts';

interface Node {
  transform?: Transform;
  children: Map<string, Node>;
}

export interface ViewSpec {
  tree: Node;
  /** The granted paths, for the processing log. */
  fields: string[];
}

/** Compiles a grant's fields (and the kind's special-category paths to withhold) into a tree, once, at load. */
export function compileView(fields: Record<string, Transform>, specialPaths: readonly string[]): ViewSpec {
  const tree: Node = { children: new Map() };
  const place = (path: string, transform: Transform) => {
    let node = tree;
    for (const seg of parsePath(path)) {
      let next = node.children.get(seg);
      if (!next) node.children.set(seg, (next = { children: new Map() }));
      node = next;
    }
    node.transform = transform;
  };
  for (const [path, transform] of Object.entries(fields)) place(path, transform);
  for (const special of specialPaths) if (!(special in fields)) place(special, 'drop');
  return {
    tree,
    fields: Object.entries(fields)
      .filter(([, t]) => t !== 'drop')
      .map(([p]) => p)
      .sort(),
  };
}

export interface TransformContext {
  pseudonym(value: string): string;
}

function apply(transform: Transform, value: unknown, ctx: TransformContext): unknown {
  switch (transform) {
    // A copy, so a view never shares an object with the record; a string or number is immutable and needs none.
    case 'keep':
      return copyJson(value);
    case 'pseudonym':
      return typeof value === 'string' ? ctx.pseudonym(value) : undefined;
    case 'year':
      return typeof value === 'string' && /^\d{4}-/.test(value) ? Number(value.slice(0, 4)) : undefined;
    case 'drop':
      return undefined;
  }
}

/** A deep copy of parsed JSON (objects, arrays, strings, numbers, booleans, null: all a record can hold), made for
 * every record: cheaper than structuredClone, which serialises. */
export function copyJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = copyJson((value as Record<string, unknown>)[key]);
    // A member named __proto__ (JSON.parse makes it an own property) must stay one, not become the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `inherited` is 'keep' below a kept object: its children that the grant names only refine it. */
function project(value: unknown, node: Node, ctx: TransformContext, inherited?: Transform): unknown {
  const transform = node.transform ?? inherited;
  if (transform === 'drop') return undefined;
  const own = transform ? apply(transform, value, ctx) : undefined;
  if (node.children.size === 0) return own;
  const below = transform === 'keep' ? 'keep' : undefined;
  if (Array.isArray(value)) {
    const item = node.children.get(EVERY);
    if (!item) return own;
    const items = value.map((v) => project(v, item, ctx, below)).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (!isObject(value)) return own;
  const out: Record<string, unknown> = isObject(own) ? own : {};
  for (const [key, child] of node.children) {
    if (key === EVERY) continue;
    const projected = Object.hasOwn(value, key) ? project(value[key], child, ctx, below) : undefined;
    if (projected === undefined) delete out[key];
    else out[key] = projected;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Whether a grant passes the string at `segments` (a pointer's keys; an array index walks into `[]`) unchanged,
 * as buildView would: along a kept object, not dropped, not pseudonymised or cut to a year. Decided from the tree
 * alone, so that it holds for every record (an array's items keep their place in no view). */
export function deliversPlain(spec: ViewSpec, segments: readonly string[]): boolean {
  let node = spec.tree;
  let inherited: Transform | undefined;
  for (const seg of segments) {
    const transform = node.transform ?? inherited;
    if (transform === 'drop') return false;
    const child = node.children.get(seg) ?? (/^\d+$/.test(seg) ? node.children.get(EVERY) : undefined);
    // A kept value whose part the grant does not name further is passed whole.
    if (!child) return transform === 'keep';
    node = child;
    inherited = transform === 'keep' ? 'keep' : undefined;
  }
  return (node.transform ?? inherited) === 'keep';
}

export function buildView(record: unknown, spec: ViewSpec, ctx: TransformContext): Record<string, unknown> {
  const view = project(record, spec.tree, ctx);
  return isObject(view) ? view : {};
}
