// The feed's reads of the outbox (migration 098, decision 0110): per recipient, in (tx, id) order, and never a
// row beyond the commit horizon, so a row whose id was taken early but committed late is not skipped.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedPositionBefore, oldestFeedPosition, readFeed, type FeedEvent } from '../../../src/store/feed-repo.ts';
import { freshDatabase } from '../../support/bridge.ts';
import { until } from '../../support/until.ts';

let url: string;
let db: pg.Client;
let n = 0;

/** One record and one outbox row for it, on `c` (which may be inside an open transaction). */
async function row(c: pg.ClientBase, recipient: string, type = 'nl.justitieketen.zsm.advice.accepted'): Promise<string> {
  n += 1;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  await c.query(
    /* sql */ `INSERT INTO records (id, kind, source, external_id, version, content_hash, subject_key, body, receipt)
     VALUES ($1, 'advice', '00000001823288444000', $2::text, 1, sha256(convert_to($2::text, 'UTF8')), 'k1.feed', '{}', '{}')`,
    [id, `FEED-${n}`],
  );
  const { rows } = await c.query<{ event_id: string }>(
    /* sql */ `INSERT INTO outbox (record_id, event_id, event_type, recipient, topic, message_key, slot, headers, payload)
     VALUES ($1, gen_random_uuid(), $3, $2, 'feed.topic', 'k1.feed', 3, '{"ce_id":"x"}', $4) RETURNING event_id`,
    [id, recipient, type, JSON.stringify({ n })],
  );
  return rows[0]!.event_id;
}

const ids = (events: FeedEvent[]) => events.map((e) => e.eventId);
// The horizon is the cluster's: another database's writing transaction holds it back for a moment.
const settled = (read: () => Promise<FeedEvent[]>, count: number) => until(read, (v) => v.length >= count, 10_000);

beforeAll(async () => {
  url = await freshDatabase();
  db = new pg.Client({ connectionString: url });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
});

describe('feed-repo', () => {
  it('reads one recipient in order, from a position, a page at a time, and by type', async () => {
    const a1 = await row(db, 'om-zsm');
    await row(db, 'reclassering');
    const a2 = await row(db, 'om-zsm', 'nl.justitieketen.zsm.advice.withdrawn');
    const a3 = await row(db, 'om-zsm');
    const all = await settled(() => readFeed(db, 'om-zsm', null, 10), 3);
    expect(ids(all)).toEqual([a1, a2, a3]);
    expect(all[0]).toMatchObject({ recipient: 'om-zsm', topic: 'feed.topic', messageKey: 'k1.feed', headers: { ce_id: 'x' }, payload: '{"n":1}' });
    expect(all[0]!.createdAt).toBeInstanceOf(Date);
    expect(ids(await readFeed(db, 'om-zsm', null, 2))).toEqual([a1, a2]);
    expect(ids(await readFeed(db, 'om-zsm', all[1]!.position, 10))).toEqual([a3]);
    expect(await readFeed(db, 'om-zsm', all[2]!.position, 10)).toEqual([]);
    expect(ids(await readFeed(db, 'om-zsm', null, 10, { types: ['nl.justitieketen.zsm.advice.withdrawn'] }))).toEqual([a2]);
    expect(await oldestFeedPosition(db, 'om-zsm')).toEqual(all[0]!.position);
    expect(await oldestFeedPosition(db, 'nobody')).toBeNull();
    const before = await feedPositionBefore(db, 'om-zsm', all[1]!.createdAt);
    expect(ids(await readFeed(db, 'om-zsm', before, 10))).toEqual([a2, a3]);
  });

  it('does not pass a row that took its id early and committed late', async () => {
    const late = new pg.Client({ connectionString: url });
    await late.connect();
    try {
      await late.query('BEGIN');
      await late.query('SELECT pg_current_xact_id()'); // the transaction's id is taken now, before the other's
      const first = await row(late, 'feed-order'); // uncommitted
      const second = await row(db, 'feed-order'); // committed, a higher tx
      // The committed row is above the horizon while the earlier transaction runs: not served yet.
      expect(await readFeed(db, 'feed-order', null, 10)).toEqual([]);
      await late.query('COMMIT');
      const served = await settled(() => readFeed(db, 'feed-order', null, 10), 2);
      expect(ids(served)).toEqual([first, second]);
      // A page that stopped at the first row resumes at the second: nothing skipped.
      expect(ids(await readFeed(db, 'feed-order', served[0]!.position, 10))).toEqual([second]);
    } finally {
      await late.end();
    }
  });

  // Migration 101: plpgsql keeps a generic plan from a function's sixth call on; with the cursor as `IS NULL OR`
  // that plan read the recipient's whole window up to the cursor for every page.
  it('fetches about one page of rows per page, also with the generic plan plpgsql keeps after a few calls', async () => {
    const held = 5_000;
    await db.query(
      /* sql */ `WITH r AS (
         INSERT INTO records (id, kind, source, external_id, version, content_hash, subject_key, body, receipt)
         SELECT gen_random_uuid(), 'advice', '00000001823288444000', 'PLAN-' || g, 1, sha256(convert_to('PLAN-' || g, 'UTF8')), 'k1.plan', '{}', '{}'
         FROM generate_series(1, $1::integer) g RETURNING id)
       INSERT INTO outbox (record_id, event_id, event_type, recipient, topic, message_key, slot, headers, payload)
       SELECT id, gen_random_uuid(), 'nl.justitieketen.zsm.advice.accepted', 'feed-plan', 'feed.topic', 'k1.plan', 3, '{}', '{}' FROM r`,
      [held],
    );
    const all = await settled(() => readFeed(db, 'feed-plan', null, held), held);
    const near = all[held - 150]!.position;
    const reader = new pg.Client({ connectionString: url });
    await reader.connect();
    try {
      // The plan plpgsql settles on after a few calls, at once: the function must fetch no more with it.
      await reader.query('SET plan_cache_mode = force_generic_plan');
      await reader.query('BEGIN'); // the transaction's own counters: what these reads cost, nothing else
      const calls = 10;
      for (let i = 0; i < calls; i++) expect(await readFeed(reader, 'feed-plan', near, 100)).toHaveLength(100);
      const { rows } = await reader.query<{ read: string }>(
        `SELECT (idx_tup_fetch + seq_tup_read)::text AS read FROM pg_stat_xact_user_tables WHERE relname = 'outbox'`,
      );
      await reader.query('COMMIT');
      // The rows of the page per call; a scan from the window's start would fetch `held` of them per call.
      expect(Number(rows[0]!.read)).toBeLessThan(calls * 200);
    } finally {
      await reader.end();
    }
  });
});
