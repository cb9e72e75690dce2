import { describe, expect, it } from 'vitest';
import { CHANNEL_KEY_PREFIX, chainOf, LOG_CHAINS } from '../../../src/processing-log/entry.ts';

describe('processing-log chains', () => {
  it("keeps a subject's entries in the first LOG_CHAINS chains and a channel's disclosures in the next ones", () => {
    const subjects = Array.from({ length: 200 }, (_, i) => `k1.subject-${i}`);
    const channels = Array.from({ length: 200 }, (_, i) => `${CHANNEL_KEY_PREFIX}recipient-${i}`);
    expect(new Set(subjects.map(chainOf)).size).toBe(LOG_CHAINS);
    expect(subjects.every((k) => chainOf(k) >= 0 && chainOf(k) < LOG_CHAINS)).toBe(true);
    expect(new Set(channels.map(chainOf)).size).toBe(LOG_CHAINS);
    expect(channels.every((k) => chainOf(k) >= LOG_CHAINS && chainOf(k) < 2 * LOG_CHAINS)).toBe(true);
    expect(chainOf(`${CHANNEL_KEY_PREFIX}om-zsm`)).toBe(chainOf(`${CHANNEL_KEY_PREFIX}om-zsm`));
  });
});
