// The connection lost during the commit (issue 21 item 7, decision 0106): the bridge cannot tell from the error
// whether the record was stored, so it writes it again once the database answers and tells the truth: 202 with
// the original receipt, or, when the database does not answer within PG_OUTCOME_WAIT_MS, 503
// BRIDGE_OUTCOME_UNKNOWN, after which re-sending the same advice returns the original receipt.
// The loss is made deterministic on the client side: the socket is destroyed before the statement is sent (not
// stored), or right after the server's answer arrived (stored, the answer lost).
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { syntheticBsn, validAdvice } from '../../support/fixtures.ts';

let bridge: TestBridge;
let connect: pg.Pool['connect'];
beforeAll(async () => {
  bridge = await startBridge({ relay: false, env: { PG_OUTCOME_WAIT_MS: '1500' } });
  connect = bridge.services.pool.connect.bind(bridge.services.pool);
});
afterAll(async () => {
  bridge.services.pool.connect = connect;
  await bridge?.close();
});

type When = 'before-sending' | 'after-the-answer';
type Connect = () => Promise<pg.PoolClient>;
const isWrite = (q: unknown) => q === 'COMMIT' || (typeof q === 'object' && q !== null && String((q as { name?: string }).name).startsWith('insert-accepted'));

/** Replaces the pool's connect; pg-pool's own query() calls it with a callback. */
function useConnect(fn: Connect): void {
  bridge.services.pool.connect = ((callback?: (err: Error | undefined, client?: pg.PoolClient, done?: () => void) => void) => {
    if (!callback) return fn();
    fn().then(
      (client) => callback(undefined, client, () => client.release()),
      (err: Error) => callback(err),
    );
    return undefined;
  }) as pg.Pool['connect'];
}

/** The next write (an advice's statement, or a batch's COMMIT) loses its connection; connections after that come
 * from `after`. */
function cutNextWrite(when: When, after: Connect = () => connect()): void {
  let armed = true;
  useConnect(async () => {
    const client = await connect();
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
      if (!armed || !isWrite(args[0])) return query(...args);
      armed = false;
      useConnect(after);
      const socket = (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream;
      if (when === 'after-the-answer') await query(...args);
      socket.destroy();
      throw new Error('Connection terminated unexpectedly');
    };
    return client;
  });
}

/** Connections fail, as while the database restarts. */
const databaseAway: Connect = async () => {
  throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
};

async function stored(adviceId: string): Promise<{ id: string; outbox: number }[]> {
  const { rows } = await bridge.services.pool.query<{ id: string; outbox: number }>(
    /* sql */ `SELECT r.id, (SELECT count(*)::int FROM outbox o WHERE o.record_id = r.id) AS outbox FROM records r WHERE r.external_id = $1`,
    [adviceId],
  );
  return rows;
}

const post = (payload: ReturnType<typeof validAdvice>) => bridge.inject({ method: 'POST', url: '/v1/advices', payload });

describe('an advice whose connection is lost during its write', () => {
  for (const when of ['before-sending', 'after-the-answer'] as const) {
    it(`is answered 202 with the receipt of the one record stored (lost ${when})`, async () => {
      const adviceId = `LOST-${when}`;
      cutNextWrite(when);
      const res = await post(validAdvice({ adviceId, bsn: syntheticBsn(701) }));
      expect(res.statusCode).toBe(202);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      const rows = await stored(adviceId);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.id).toBe(res.json<{ id: string }>().id);
      expect(rows[0]!.outbox).toBeGreaterThan(0);
    });
  }

  it('is answered 503 BRIDGE_OUTCOME_UNKNOWN with Retry-After when the database does not answer in time; the same advice again gets the original receipt', async () => {
    const adviceId = 'LOST-UNKNOWN';
    const advice = validAdvice({ adviceId, bsn: syntheticBsn(702) });
    cutNextWrite('after-the-answer', databaseAway);
    const res = await post(advice);
    bridge.services.pool.connect = connect;
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'BRIDGE_OUTCOME_UNKNOWN', status: 503 });
    expect(res.json<{ detail: string }>().detail).not.toMatch(/nothing was stored/);

    const rows = await stored(adviceId);
    expect(rows).toHaveLength(1); // it was in fact stored: the 503 did not say otherwise
    const again = await post(advice);
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json<{ id: string }>().id).toBe(rows[0]!.id);
  });
});

describe('a batch whose COMMIT loses its connection', () => {
  it('answers every accepted item 202 with the receipt stored, none of them a replay', async () => {
    const advices = [0, 1, 2].map((i) => validAdvice({ adviceId: `LOST-BATCH-${i}`, bsn: syntheticBsn(710 + i) }));
    cutNextWrite('after-the-answer');
    const res = await bridge.inject({ method: 'POST', url: '/v1/advice-batches', payload: { advices } });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { status: number; replayed: boolean; receipt: { id: string } }[] }>().items;
    expect(items.map((i) => [i.status, i.replayed])).toEqual([
      [202, false],
      [202, false],
      [202, false],
    ]);
    for (const [i, item] of items.entries()) expect((await stored(`LOST-BATCH-${i}`)).map((r) => r.id)).toEqual([item.receipt.id]);
  });
});
