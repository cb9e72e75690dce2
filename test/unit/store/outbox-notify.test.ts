// The NOTIFY after an ingest's commit: one on its way at a time, the calls in between coalesced into one more,
// and a failure reported, never thrown.
import { describe, expect, it } from 'vitest';
import { createOutboxNotifier } from '../../../src/store/outbox-notify.ts';
import { OUTBOX_CHANNEL } from '../../../src/store/outbox-repo.ts';

interface Call {
  text: string;
  values: unknown[];
  settle: (err?: Error) => void;
}

function fakePool() {
  const calls: Call[] = [];
  const pool = {
    query: (q: { text: string; values: unknown[] }) =>
      new Promise((resolve, reject) => {
        calls.push({ text: q.text, values: q.values, settle: (err) => (err ? reject(err) : resolve({ rows: [] })) });
      }),
  };
  return { calls, pool: pool as unknown as Parameters<typeof createOutboxNotifier>[0] };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('outbox notifier', () => {
  it('sends one NOTIFY on the outbox channel, its commit not waiting for the disk', async () => {
    const { calls, pool } = fakePool();
    const n = createOutboxNotifier(pool, () => undefined);
    n.send();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.values).toEqual([OUTBOX_CHANNEL]);
    expect(calls[0]!.text).toContain(`set_config('synchronous_commit', 'off', true)`);
    expect(calls[0]!.text).toContain('pg_notify($1');
    calls[0]!.settle();
    await n.settled();
    expect(calls).toHaveLength(1);
  });

  it('coalesces the calls made while one is on its way into exactly one more', async () => {
    const { calls, pool } = fakePool();
    const n = createOutboxNotifier(pool, () => undefined);
    n.send();
    for (let i = 0; i < 50; i++) n.send();
    expect(calls).toHaveLength(1);
    calls[0]!.settle();
    await turn();
    expect(calls).toHaveLength(2);
    calls[1]!.settle();
    await n.settled();
    expect(calls).toHaveLength(2);
    // Idle again: the next call goes at once.
    n.send();
    expect(calls).toHaveLength(3);
    calls[2]!.settle();
    await n.settled();
  });

  it('reports a failed NOTIFY and goes on with the next', async () => {
    const { calls, pool } = fakePool();
    const errors: unknown[] = [];
    const n = createOutboxNotifier(pool, (err) => errors.push(err));
    n.send();
    n.send();
    calls[0]!.settle(new Error('Connection terminated'));
    await turn();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('Connection terminated');
    expect(calls).toHaveLength(2);
    calls[1]!.settle();
    await n.settled();
    expect(errors).toHaveLength(1);
  });
});
