import { describe, expect, it } from 'vitest';
import { bracketedRatios, median, medianIndex } from '../../../bench/rounds.ts';

describe('bench rounds (decision 0098)', () => {
  it('sets each figure beside the mean of the baseline runs either side of it', () => {
    // A baseline drifting from 1,000 to 800 over the run: the ingest's 800 sits between 1,000 and 900.
    expect(bracketedRatios([800, 720], [1_000, 900, 800])).toEqual([800 / 950, 720 / 850]);
  });

  it('refuses rounds without a baseline run on both sides', () => {
    expect(() => bracketedRatios([800, 720], [1_000, 900])).toThrow(/2 figures need 3 baseline runs/);
  });

  it('gives no ratio over a baseline that measured nothing', () => {
    expect(bracketedRatios([800], [0, 0])).toEqual([NaN]);
  });

  it('takes the median of odd and even counts, leaving out figures that are not numbers', () => {
    expect(median([0.9, 0.7, 0.8])).toBe(0.8);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, 2, 1, 3])).toBe(2);
    expect(median([])).toBeNaN();
  });

  it('finds the round whose figure is the median, the lower middle one for an even count', () => {
    expect(medianIndex([30, 10, 20])).toBe(2);
    expect(medianIndex([40, 10, 30, 20])).toBe(3);
    expect(medianIndex([5])).toBe(0);
  });
});
