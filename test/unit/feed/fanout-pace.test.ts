import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFanoutPace } from '../../../src/feed/fanout-pace.ts';

describe('fan-out pace', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const clock = () => Date.now();

  it('never holds back a recipient with one client', () => {
    const pace = createFanoutPace(100, clock);
    const leave = pace.enter('om-zsm');
    for (let i = 0; i < 5; i++) {
      expect(pace.turn('om-zsm')).toBeUndefined();
      vi.advanceTimersByTime(1);
    }
    leave();
  });

  it('spaces the reads of a recipient with several clients; requests in between join the next read', async () => {
    const pace = createFanoutPace(100, clock); // 5 clients: 4 / 100 s apart = 40 ms
    const leaves = Array.from({ length: 5 }, () => pace.enter('om-zsm'));
    expect(pace.turn('om-zsm')).toBeUndefined();
    // Woken by the same commit: joins the read that is starting.
    expect(pace.turn('om-zsm')).toBeUndefined();
    vi.advanceTimersByTime(10);
    const a = pace.turn('om-zsm');
    const b = pace.turn('om-zsm');
    expect(a).toBeInstanceOf(Promise);
    expect(b).toBe(a);
    let released = false;
    void a!.then(() => (released = true));
    await vi.advanceTimersByTimeAsync(29);
    expect(released).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(released).toBe(true);
    // Another recipient is paced on its own.
    const other = pace.enter('halt');
    expect(pace.turn('halt')).toBeUndefined();
    other();
    for (const leave of leaves) leave();
  });

  it('counts a client between two pages for a while, then lets a lone client go at once', () => {
    const pace = createFanoutPace(100, clock);
    const leaves = Array.from({ length: 3 }, () => pace.enter('om-zsm'));
    for (const leave of leaves) leave();
    const one = pace.enter('om-zsm');
    expect(pace.turn('om-zsm')).toBeUndefined();
    vi.advanceTimersByTime(5);
    expect(pace.turn('om-zsm')).toBeInstanceOf(Promise); // three clients were seen this window: 20 ms apart
    vi.advanceTimersByTime(2_100);
    expect(pace.turn('om-zsm')).toBeUndefined();
    vi.advanceTimersByTime(5);
    expect(pace.turn('om-zsm')).toBeUndefined();
    one();
  });
});
