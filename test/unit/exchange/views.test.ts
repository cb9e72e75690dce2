import { describe, expect, it } from 'vitest';
import { ageOn, holds } from '../../../src/exchange/conditions.ts';
import { buildView, compileView, copyJson } from '../../../src/exchange/views.ts';

const ctx = { pseudonym: (v: string) => `k1.pseudo-of-${v.length}` };
const record = {
  id: 'A-1',
  subject: { bsn: '999990019', name: { surname: 'Synthetisch', givenNames: 'Testpersoon' }, dateOfBirth: '1990-01-01' },
  context: { system: 'household', health: 'care' },
  conditions: [{ code: 'meldplicht', detail: 'weekly' }, { code: 'contactverbod' }],
};

describe('recipient views', () => {
  it('passes only the listed fields, each through its transform', () => {
    const view = buildView(
      record,
      compileView({ id: 'keep', 'subject.bsn': 'pseudonym', 'subject.dateOfBirth': 'year', 'conditions[].code': 'keep' }, []),
      ctx,
    );
    expect(view).toEqual({ id: 'A-1', subject: { bsn: 'k1.pseudo-of-9', dateOfBirth: 1990 }, conditions: [{ code: 'meldplicht' }, { code: 'contactverbod' }] });
  });

  it('keeps a whole object, minus what is dropped inside it and minus special-category fields not named', () => {
    const spec = compileView({ subject: 'keep', 'subject.name.givenNames': 'drop', context: 'keep' }, ['context.health']);
    expect(buildView(record, spec, ctx)).toEqual({
      subject: { bsn: '999990019', name: { surname: 'Synthetisch' }, dateOfBirth: '1990-01-01' },
      context: { system: 'household' },
    });
    expect(spec.fields).toEqual(['context', 'subject']);
    const named = compileView({ 'context.health': 'keep' }, ['context.health']);
    expect(buildView(record, named, ctx)).toEqual({ context: { health: 'care' } });
  });

  it('refines a kept list per element and leaves out absent fields', () => {
    const spec = compileView({ conditions: 'keep', 'conditions[].detail': 'drop', missing: 'keep', 'subject.municipalityCode': 'keep' }, []);
    expect(buildView(record, spec, ctx)).toEqual({ conditions: [{ code: 'meldplicht' }, { code: 'contactverbod' }] });
  });

  it('gives an empty view when nothing granted is present, and never the record itself', () => {
    expect(buildView(record, compileView({ other: 'keep' }, []), ctx)).toEqual({});
    const kept = buildView(record, compileView({ subject: 'keep' }, []), ctx);
    (kept['subject'] as { bsn: string }).bsn = 'changed';
    expect(record.subject.bsn).toBe('999990019');
  });
});

describe('grant conditions', () => {
  it('counts age in whole years on a date', () => {
    expect(ageOn('2008-06-15', '2026-06-14')).toBe(17);
    expect(ageOn('2008-06-15', '2026-06-15')).toBe(18);
    expect(ageOn('not a date', '2026-06-15')).toBeUndefined();
  });

  it('tests values in lists, presence, age and their combinations; a missing field never matches', () => {
    const r = { disposal: 'halt', codes: [{ code: 'a' }, { code: 'b' }], born: '2010-01-01', on: '2026-01-01' };
    expect(holds({ field: 'disposal', in: ['halt'] }, r)).toBe(true);
    expect(holds({ field: 'codes[].code', in: ['b', 'z'] }, r)).toBe(true);
    expect(holds({ field: 'codes[].code', in: ['z'] }, r)).toBe(false);
    expect(holds({ field: 'nothing', present: false }, r)).toBe(true);
    expect(holds({ field: 'born', youngerThan: 18, on: 'on' }, r)).toBe(true);
    expect(holds({ field: 'born', youngerThan: 16, on: 'on' }, r)).toBe(false);
    expect(holds({ field: 'born', youngerThan: 18, on: 'missing' }, r)).toBe(false);
    expect(holds({ all: [{ field: 'disposal', in: ['halt'] }, { not: { field: 'codes[].code', in: ['a'] } }] }, r)).toBe(false);
    expect(
      holds(
        {
          any: [
            { field: 'disposal', in: ['sepot'] },
            { field: 'codes[].code', in: ['a'] },
          ],
        },
        r,
      ),
    ).toBe(true);
  });
});

describe('copyJson', () => {
  it('copies parsed JSON deeply: equal, and sharing no object or array with the original', () => {
    const copy = copyJson(record) as typeof record;
    expect(copy).toEqual(record);
    expect(copy).not.toBe(record);
    expect(copy.subject).not.toBe(record.subject);
    expect(copy.subject.name).not.toBe(record.subject.name);
    expect(copy.conditions).not.toBe(record.conditions);
    expect(copy.conditions[0]).not.toBe(record.conditions[0]);
  });

  it('keeps a member named __proto__ as a member, and the copy an ordinary object', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "x": [1, null, "y"]}') as Record<string, unknown>;
    const copy = copyJson(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
  });
});
