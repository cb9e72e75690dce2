// readFeed orders by the outbox's (tx, id), not by the text it returns them as: sorted as text, '1002' came
// before '775', and a cursor at 774 skipped every row from 775 to 1001 (found by the webhook chaos scenario).
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { oldestFeedPosition, readFeed } from '../../../src/store/feed-repo.ts';
import { freshDatabase } from '../../support/bridge.ts';

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: await freshDatabase() });
  await db.connect();
  await db.query(/* sql */ `INSERT INTO records (id, kind, source, external_id, version, content_hash, subject_key, body, receipt)
     VALUES ('00000000-0000-4000-8000-000000000001', 'advice', '00000001823288444000', 'ORDER-1', 1, '\\x00', 'k1.order', '{}', '{}')`);
  // Explicit positions around a change in the number of digits, in both columns; all far below the horizon.
  for (const [tx, id] of [
    [9, 99],
    [9, 100],
    [10, 5],
    [775, 54],
    [1002, 346],
  ]) {
    await db.query(
      /* sql */ `INSERT INTO outbox (id, tx, record_id, event_id, event_type, recipient, topic, message_key, slot, headers, payload)
       VALUES ($1, $2::text::xid8, '00000000-0000-4000-8000-000000000001', gen_random_uuid(), 't', 'order-test', 'x', 'k', 1, '{}', '{}')`,
      [id, tx],
    );
  }
});
afterAll(async () => db?.end());

it('reads in numeric (tx, id) order, from the start and after a cursor', async () => {
  const all = await readFeed(db, 'order-test', null, 10);
  expect(all.map((e) => `${e.position.tx}:${e.position.id}`)).toEqual(['9:99', '9:100', '10:5', '775:54', '1002:346']);
  const after = await readFeed(db, 'order-test', { tx: '9', id: '99' }, 2);
  expect(after.map((e) => `${e.position.tx}:${e.position.id}`)).toEqual(['9:100', '10:5']);
  expect(await oldestFeedPosition(db, 'order-test')).toEqual({ tx: '9', id: '99' });
});
