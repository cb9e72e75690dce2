// Small read helpers for assertions on what the bridge stored.
import type { Pool } from '../../src/store/pool.ts';

export async function countRows(pool: Pool): Promise<{ records: number; outbox: number }> {
  const { rows } = await pool.query<{ records: string; outbox: string }>(
    'SELECT (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM outbox) AS outbox',
  );
  return { records: Number(rows[0]!.records), outbox: Number(rows[0]!.outbox) };
}

/** Waits until every outbox row is delivered (or the timeout passes) and returns the pending count. */
export async function waitForDelivery(pool: Pool, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE delivered_at IS NULL');
    const pending = Number(rows[0]!.n);
    if (pending === 0 || Date.now() > deadline) return pending;
    await new Promise((r) => setTimeout(r, 100));
  }
}
