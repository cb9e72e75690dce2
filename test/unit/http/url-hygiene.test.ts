import { describe, expect, it } from 'vitest';
import { holdsBsnLikeNumber, safeInstance } from '../../../src/http/url-hygiene.ts';

describe('BSN-like numbers in URLs', () => {
  it('finds a run of exactly nine digits, raw or percent-encoded, anywhere', () => {
    for (const url of ['/v1/persons/999990019', '/x?bsn=999990019', '/a/999990019/b', '/v1/records/%39%39%39%39%39%30%30%31%39']) expect(holdsBsnLikeNumber(url), url).toBe(true);
  });

  it('leaves UUIDs, OINs, dates and short numbers alone', () => {
    for (const url of ['/v1/records/12345678-1234-4234-8234-123456789012', '/v1/organisations/00000001823288444000', '/x/2026-11-28', '/x/12345678', '/x/1234567890']) {
      expect(holdsBsnLikeNumber(url), url).toBe(false);
    }
  });

  it('names the path in a problem only without its query and when it holds no BSN', () => {
    expect(safeInstance('/v1/records/abc?x=1')).toBe('/v1/records/abc');
    expect(safeInstance('/v1/persons/999990019')).toBeUndefined();
    expect(safeInstance('/v1/%E0%A4%A')).toBeUndefined();
  });
});
