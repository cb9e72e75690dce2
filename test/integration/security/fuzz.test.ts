// The bounded fuzz run of the test suite (`npm run fuzz -- --runs N` runs a longer one): thousands of random and
// mutated requests against every endpoint. Never a 5xx, no row from a refused request, nothing on Kafka that was
// not accepted, no personal data or credential in the logs.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { waitForDelivery } from '../../support/db.ts';
import { OM_ZSM } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';
import { CANARY_BSNS, CANARY_TEXT } from '../../fuzz/bodies.ts';
import { formatSummary, runCampaign, type FuzzSummary } from '../../fuzz/campaign.ts';
import { formatFlood, runFlood } from '../../fuzz/flood.ts';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 4000);
const SEED = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : undefined;
const FLOOD = Number(process.env['FUZZ_FLOOD'] ?? 100);

let bridge: TestBridge;
let summary: FuzzSummary;
beforeAll(async () => {
  // No rate limit and no shedding: every request must reach the checks behind them.
  bridge = await startBridge({ env: { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'debug' } });
});
afterAll(async () => {
  await bridge?.close();
});

describe('fuzz campaign', () => {
  it(`answers ${RUNS} random requests without a 5xx, and stores nothing for a refused one`, async () => {
    summary = await runCampaign(bridge, { runs: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) });
    process.stdout.write(`${formatSummary(summary)}\n`);
    expect(summary.failure).toBeUndefined();
    expect(summary.requests).toBeGreaterThanOrEqual(RUNS);
    expect(summary.serverErrors).toBe(0);
    expect(summary.rowsFromRefused).toBe(0);
    // The campaign reached the pipeline: some accepted, many refused for many reasons.
    expect(summary.accepted.length).toBeGreaterThan(0);
    for (const status of ['202', '400', '401', '403', '415', '422']) expect(summary.byStatus[status], status).toBeGreaterThan(0);
  }, 600_000);

  it('stored and sent exactly the accepted records', async () => {
    const pool = bridge.services.pool;
    const rows = await pool.query<{ id: string }>('SELECT id FROM records');
    expect(rows.rows.map((r) => r.id).sort()).toEqual([...summary.accepted].sort());
    const stray = await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE NOT (record_id = ANY($1::uuid[]))', [summary.accepted]);
    expect(Number(stray.rows[0]!.n)).toBe(0);
    // What reached Kafka: ZSM's topic holds exactly the accepted advices the policy sends it.
    expect(await waitForDelivery(pool, 60_000)).toBe(0);
    const forZsm = (await pool.query<{ record_id: string }>('SELECT record_id FROM outbox WHERE recipient = $1', [OM_ZSM])).rows.map((r) => r.record_id);
    expect(forZsm.length).toBeGreaterThan(0);
    const sent = await readTopic(bridge.topic('advice', OM_ZSM), { count: forZsm.length, timeoutMs: 60_000, settleMs: 500 });
    expect(sent.map((m) => (JSON.parse(m.value) as { recordId: string }).recordId).sort()).toEqual(forZsm.sort());
  }, 120_000);

  it('wrote no personal data and no credential to the log', () => {
    expect(bridge.logs.lines.length).toBeGreaterThan(summary.requests);
    // A BSN counts as found when it stands alone: inside a longer digit run (a response time's decimals) it is not one.
    const found = (line: string, secret: string) => (/^[0-9]+$/.test(secret) ? new RegExp(`(?<![0-9])${secret}(?![0-9])`).test(line) : line.includes(secret));
    for (const secret of [...CANARY_BSNS, ...CANARY_TEXT, ...Object.values(inject('testClients').tokens)]) {
      expect(bridge.logs.lines.filter((l) => found(l, secret)).slice(0, 3), secret).toEqual([]);
    }
  });
});

describe('flood of huge bad requests', () => {
  let flooded: TestBridge;
  beforeAll(async () => {
    // Shedding as in production (the test default turns it off), and a body limit the 3.5 MB bodies pass.
    flooded = await startBridge({
      relay: false,
      env: { RATE_LIMIT_PER_MINUTE: '0', BODY_LIMIT_BYTES: String(4 * 2 ** 20), SHED_EVENT_LOOP_DELAY_MS: '200', SHED_DB_WAITING: '40' },
    });
  });
  afterAll(async () => {
    await flooded?.close();
  });

  it(`answers ${FLOOD} requests of 300,000 unknown keys with small problems, gives the memory back, and serves a client beside them`, async () => {
    const s = await runFlood(flooded, { requests: FLOOD, concurrency: 4 });
    process.stdout.write(`${formatFlood(s)}\n`);
    expect(s.requests).toBe(FLOOD);
    // Each flood request is refused (400) or, when the machine falls behind, shed (503): either answers the abuse.
    // The promise is the neighbour's: it is never shed.
    expect(Object.keys(s.byStatus).filter((status) => status !== '400' && status !== '503')).toEqual([]);
    expect(s.byStatus['400']).toBeGreaterThan(0);
    expect(s.largestAnswerBytes).toBeLessThan(32 * 1024);
    expect(s.rssAfterMb - s.rssStartMb).toBeLessThan(20);
    expect(s.shedWithoutRetryAfter).toBe(0);
    // The neighbour is served. When the machine itself fell behind (the flood was shed too), shedding may answer it
    // as well, with Retry-After; while the flood is served, the neighbour never is shed.
    expect(s.neighbour.byStatus['202']).toBeGreaterThan(0);
    expect(Object.keys(s.neighbour.byStatus).filter((status) => status !== '202' && status !== '503')).toEqual([]);
    if (!s.byStatus['503']) expect(s.neighbour.byStatus).toEqual({ '202': s.neighbour.requests });
  }, 300_000);
});
