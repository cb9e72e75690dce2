import { describe, expect, it } from 'vitest';
import { fairShare } from '../../../src/relay/slot-share.ts';

describe('the fair share of slots', () => {
  it('is every slot for one replica, half for two, and rounds up so the shares cover every slot', () => {
    expect(fairShare(64, 1)).toBe(64);
    expect(fairShare(64, 2)).toBe(32);
    expect(fairShare(64, 3)).toBe(22);
    expect(fairShare(64, 3) * 3).toBeGreaterThanOrEqual(64);
    expect(fairShare(64, 100)).toBe(1);
  });

  it('treats a count of none (a query before the session registered) as one', () => {
    expect(fairShare(64, 0)).toBe(64);
  });
});
