import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../../src/store/pool.ts';
import { describeDatabase } from '../../../src/store/startup-check.ts';

describe('isDatabaseUnavailable', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, true],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, true],
    [{ code: '08006' }, true],
    [{ code: '53300' }, true],
    [{ message: 'timeout exceeded when trying to connect' }, true],
    [{ message: 'Connection terminated unexpectedly' }, true],
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }, false],
    [{ code: '42P01', message: 'relation "records" does not exist' }, false],
    [null, false],
  ])('%j -> %s', (err, expected) => {
    expect(isDatabaseUnavailable(err)).toBe(expected);
  });
});

describe('describeDatabase', () => {
  it('names host, port and database, never the credentials', () => {
    expect(describeDatabase('postgres://bridge:s3cret@db.internal:6432/bridge')).toBe('db.internal:6432/bridge');
    expect(describeDatabase('postgresql://db/bridge')).toBe('db:5432/bridge');
    expect(describeDatabase('not a url')).toBe('(unparseable DATABASE_URL)');
  });
});
