// Counts the error catalogue (src/errors.ts) against the code and the tests: every code must be raised somewhere in
// src/, and asserted by at least one test, so a code cannot go dead or untested unnoticed.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { FIELD_CODES, PROBLEMS } from '../../src/errors.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CATALOGUE = 'src/errors.ts';
// The catalogue's own tests name codes without raising them (published codes, problem types); they do not count.
const NOT_COUNTED = new Set(['test/unit/error-catalogue.test.ts', 'test/unit/errors.test.ts']);
const CODES = [...Object.keys(PROBLEMS), ...Object.keys(FIELD_CODES)];

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => relative(ROOT, join(ROOT, dir, f)));
}

/** Each string literal of a file with its node, for the codes it names as whole words. */
function* stringLiterals(file: string): Generator<ts.StringLiteral | ts.NoSubstitutionTemplateLiteral> {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const walk = function* (node: ts.Node): Generator<ts.StringLiteral | ts.NoSubstitutionTemplateLiteral> {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) yield node;
    for (const child of node.getChildren()) yield* walk(child);
  };
  yield* walk(source);
}

const namedIn = (text: string) => CODES.filter((c) => new RegExp(`(?<![A-Z_])${c}(?![A-Z_])`).test(text));

/** The root identifier of a callee: `expect` for expect(x).not.toEqual, expect.objectContaining. */
function calleeRoot(e: ts.Expression): string | undefined {
  while (ts.isPropertyAccessExpression(e) || ts.isCallExpression(e) || ts.isElementAccessExpression(e)) e = e.expression;
  return ts.isIdentifier(e) ? e.text : undefined;
}

// Properties that hold expected codes in the test tables (`{ file, codes: [...] }`, `{ change, findings: [...] }`).
const EXPECTED_KEYS = ['code', 'codes', 'findings'];

/** In an assertion: anywhere inside an expect(...) chain, or the value of a property holding expected codes. */
function inAssertion(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isCallExpression(n) && calleeRoot(n.expression) === 'expect') return true;
    if (ts.isPropertyAssignment(n) && EXPECTED_KEYS.includes(n.name.getText())) return true;
  }
  return false;
}

/** Codes used as values (not as types) in src/, outside the catalogue itself. */
function raisedInSrc(): Set<string> {
  const raised = new Set<string>();
  for (const file of filesUnder('src', '.ts').filter((f) => f !== CATALOGUE)) {
    for (const literal of stringLiterals(file)) {
      if (ts.isLiteralTypeNode(literal.parent)) continue;
      if (CODES.includes(literal.text)) raised.add(literal.text);
    }
  }
  return raised;
}

/** Codes asserted in test files, with the first file asserting each. */
function assertedInTests(): Map<string, string> {
  const asserted = new Map<string, string>();
  for (const file of filesUnder('test', '.test.ts').filter((f) => !NOT_COUNTED.has(f))) {
    for (const literal of stringLiterals(file)) {
      if (!inAssertion(literal)) continue;
      for (const code of namedIn(literal.text)) if (!asserted.has(code)) asserted.set(code, file);
    }
  }
  return asserted;
}

// Each of the first two parses every source or test file with the TypeScript compiler: seconds on a busy machine.
describe('the error catalogue', () => {
  it('has no dead codes: each is raised somewhere in src/', () => {
    const raised = raisedInSrc();
    expect(
      CODES.filter((c) => !raised.has(c)),
      'codes in src/errors.ts that nothing in src/ raises',
    ).toEqual([]);
  }, 30_000);

  it('has every code asserted by a test', () => {
    const asserted = assertedInTests();
    expect(
      CODES.filter((c) => !asserted.has(c)),
      "codes no test under test/ asserts (code: 'X', or 'X' inside an expect)",
    ).toEqual([]);
  }, 30_000);

  it('counts only codes inside an assertion', () => {
    const probe = ts.createSourceFile(
      'probe.ts',
      [
        "const noted = 'FIELD_PATTERN';",
        "it('names FIELD_TYPE in its title only', () => { send({ reason: 'FIELD_FORMAT' }); });",
        "expect(codes).toContain('FIELD_TOO_SHORT');",
        "const cases = [{ body: 'x', codes: ['FIELD_OUT_OF_RANGE /version'] }];",
        "expect(list.some((e) => e.code === 'FIELD_DUPLICATE_ITEMS')).toBe(true);",
        "expect(x).toBe('CONCISE_FIELD_TOO_LONG');",
      ].join('\n'),
      ts.ScriptTarget.Latest,
      true,
    );
    const found: string[] = [];
    const walk = (n: ts.Node): void => {
      if (ts.isStringLiteral(n) && inAssertion(n)) found.push(...namedIn(n.text));
      n.forEachChild(walk);
    };
    walk(probe);
    // Whole codes only: CONCISE_FIELD_TOO_LONG does not count for FIELD_TOO_LONG.
    expect(found).toEqual(['FIELD_TOO_SHORT', 'FIELD_OUT_OF_RANGE', 'FIELD_DUPLICATE_ITEMS', 'CONCISE_FIELD_TOO_LONG']);
  });
});
