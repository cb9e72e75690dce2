import { setImmediate as immediate } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTurns } from '../../../src/feed/one-per-turn.ts';

describe('one answer per turn of the event loop', () => {
  it('lets the first go at once and the others one per turn, in order, with other callbacks between them', async () => {
    const turns = createTurns();
    const order: string[] = [];
    expect(turns.mine()).toBeUndefined();
    const waiting = [1, 2, 3].map((n) => turns.mine()!.then(() => order.push(`answer ${n}`)));
    // Other work queued for the next turns (the ingest's I/O stands for it) runs between the answers.
    void immediate().then(() => order.push('other'));
    await Promise.all(waiting);
    expect(order.filter((o) => o.startsWith('answer'))).toEqual(['answer 1', 'answer 2', 'answer 3']);
    expect(order.indexOf('other')).toBeLessThan(order.indexOf('answer 3'));
  });

  it('lets a lone caller go at once again once the line is empty', async () => {
    const turns = createTurns();
    expect(turns.mine()).toBeUndefined();
    await immediate();
    await immediate();
    expect(turns.mine()).toBeUndefined();
  });
});

describe('answers spread in time', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets the first go at once and the others one gap apart, in order', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate'] });
    const turns = createTurns({ gapMs: 1, maxSpreadMs: 100 });
    const answered: number[] = [];
    expect(turns.mine()).toBeUndefined();
    const waiting = [1, 2, 3].map((n) => turns.mine()!.then(() => answered.push(n)));
    await vi.advanceTimersByTimeAsync(0);
    expect(answered).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(answered).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(answered).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(waiting);
    expect(answered).toEqual([1, 2, 3]);
    // The line is empty: after one more gap a lone caller goes at once again.
    await vi.advanceTimersByTimeAsync(1);
    expect(turns.mine()).toBeUndefined();
  });

  it('goes one per turn, not one per gap, while the line is longer than the spread allows', async () => {
    // Only the gaps are faked: turns of the event loop run for real, and no fake time passes between them.
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const turns = createTurns({ gapMs: 1, maxSpreadMs: 2 });
    const answered: number[] = [];
    expect(turns.mine()).toBeUndefined();
    const waiting = [1, 2, 3, 4, 5].map((n) => turns.mine()!.then(() => answered.push(n)));
    // The first waits one gap. Then four and three are left, more than two gaps' worth: the next ones go a turn
    // apart. With two left, one gap each again.
    await vi.advanceTimersByTimeAsync(1);
    for (let i = 0; i < 5; i += 1) await immediate();
    expect(answered).toEqual([1, 2, 3]);
    await vi.advanceTimersByTimeAsync(1);
    expect(answered).toEqual([1, 2, 3, 4]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(waiting);
    expect(answered).toEqual([1, 2, 3, 4, 5]);
  });
});
