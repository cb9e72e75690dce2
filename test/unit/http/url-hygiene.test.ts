import { describe, expect, it } from 'vitest';
import { holdsBsnLikeNumber, safeInstance } from '../../../src/http/url-hygiene.ts';

describe('BSN-like numbers in URLs', () => {
  it('finds a run of exactly nine digits, raw or percent-encoded, anywhere', () => {
    for (const url of ['/v1/persons/999990019', '/x?bsn=999990019', '/a/999990019/b', '/v1/records/%39%39%39%39%39%30%30%31%39'])
      expect(holdsBsnLikeNumber(url), url).toBe(true);
  });

  it('leaves UUIDs, OINs, dates and short numbers alone', () => {
    for (const url of [
      '/v1/records/12345678-1234-4234-8234-123456789012',
      '/v1/organisations/00000001823288444000',
      '/x/2026-11-28',
      '/x/12345678',
      '/x/1234567890',
    ]) {
      expect(holdsBsnLikeNumber(url), url).toBe(false);
    }
  });

  it('leaves a UUID alone even when it holds nine digits in a row, but not a BSN beside it', () => {
    expect(holdsBsnLikeNumber('/v1/records/0f3c2a1e-7b4d-4c1a-9e2f-a123456789bc')).toBe(false);
    expect(holdsBsnLikeNumber('/v1/records/0f3c2a1e-7b4d-4c1a-9e2f-a123456789bc/999990019')).toBe(true);
    expect(holdsBsnLikeNumber('/v1/records/999990019-7b4d-4c1a-9e2f-a123456789bc')).toBe(true);
  });

  it('names the path in a problem only without its query and when it holds no BSN', () => {
    expect(safeInstance('/v1/records/abc?x=1')).toBe('/v1/records/abc');
    expect(safeInstance('/v1/persons/999990019')).toBeUndefined();
    expect(safeInstance('/v1/%E0%A4%A')).toBeUndefined();
  });
});
