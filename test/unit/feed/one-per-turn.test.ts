import { setImmediate as immediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
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
