// Issue 20 item 1 on the real broker and database: a recipient's pull feed serves what its topic carries (same
// ce_id, same data, same order per subject), pages on with an opaque cursor, waits for new events, is closed to
// every client not bound to the recipient (alike for unknown recipients), refuses bad cursors, answers 410 past
// the window with where to resume, and logs every retrieval that hands out events.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../src/feed/cursor.ts';
import { GZIP_MIN_BYTES } from '../../../src/http/gzip-body.ts';
import { startBridge, type TestBridge, authorization } from '../../support/bridge.ts';
import { waitForDelivery } from '../../support/db.ts';
import { syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { readTopic } from '../../support/kafka-consumer.ts';
import { logRows } from '../../support/processing-log.ts';
import { until } from '../../support/until.ts';

let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge({ env: { FEED_MAX_WAITING: '2', FEED_MAX_WAIT_SECONDS: '20' } });
});
afterAll(async () => {
  await bridge?.close();
});

interface Ev {
  id: string;
  type: string;
  source: string;
  specversion: string;
  dataschema: string;
  datacontenttype: string;
  partitionkey: string;
  data: { recordId: string };
}

const feed = (query: string, as: 'receiver' | 'gcos' | 'privacy' = 'receiver', recipient = 'om-zsm') =>
  bridge.inject({ method: 'GET', url: `/v1/feeds/${recipient}/events${query}` }, as);
const nextOf = (link: string | string[] | undefined) => decodeURIComponent(/after=([^&>]+)/.exec(String(link ?? ''))![1]!);

async function submit(adviceId: string, bsn: string): Promise<string> {
  const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId, bsn }) });
  expect(res.statusCode, res.body).toBe(202);
  return res.json<{ id: string }>().id;
}

describe('pull feed per recipient', () => {
  let cursor = '';
  let served: Ev[] = [];

  it('serves what the topic carries: same ce_id, same data, same order per subject, with a cursor to go on', async () => {
    const a = syntheticBsn(201);
    const b = syntheticBsn(202);
    for (const [id, bsn] of [
      ['FEED-1', a],
      ['FEED-2', b],
      ['FEED-3', a],
      ['FEED-4', b],
    ] as const) {
      await submit(id, bsn);
    }
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    // At least once: a message may be on the topic twice (same ce_id); the feed holds each once.
    const read = await readTopic(bridge.topic('advice', 'om-zsm'), { count: 4, settleMs: 300 });
    const topic = read.filter((m, i) => read.findIndex((o) => o.headers['ce_id'] === m.headers['ce_id']) === i);
    expect(topic, JSON.stringify(topic.map((m) => [m.headers['ce_id'], m.headers['ce_type'], m.partition, m.offset]))).toHaveLength(4);

    // Two pages of at most three.
    const first = await feed('?limit=3');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toMatch(/^application\/cloudevents-batch\+json/);
    expect(first.headers['api-version']).toBeDefined();
    expect(first.headers['link']).toMatch(/^<\/v1\/feeds\/om-zsm\/events\?after=[A-Za-z0-9_-]+&limit=3>; rel="next"$/);
    const second = await feed(`?limit=3&after=${nextOf(first.headers['link'])}`);
    served = [...first.json<Ev[]>(), ...second.json<Ev[]>()];
    cursor = nextOf(second.headers['link']);
    expect(served.map((e) => e.id).sort()).toEqual(topic.map((m) => m.headers['ce_id']).sort());

    for (const m of topic) {
      const e = served.find((s) => s.id === m.headers['ce_id'])!;
      expect(e.data).toEqual(JSON.parse(m.value));
      expect(e).toMatchObject({
        specversion: '1.0',
        type: m.headers['ce_type'],
        source: m.headers['ce_source'],
        dataschema: m.headers['ce_dataschema'],
        datacontenttype: 'application/json',
        partitionkey: m.key,
      });
    }
    // Per subject (key), the feed's order is the topic's order (one partition per key).
    for (const key of new Set(topic.map((m) => m.key))) {
      const onTopic = topic.filter((m) => m.key === key).map((m) => m.headers['ce_id']);
      expect(served.filter((e) => e.partitionkey === key).map((e) => e.id)).toEqual(onTopic);
    }
    // Caught up: an empty batch, and a cursor that still points at the same place.
    const empty = await feed(`?after=${cursor}`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual([]);
  });

  it('writes each retrieval that hands out events to the processing log, with the ce_ids and no personal data', async () => {
    const rows = await logRows(bridge.services.pool, `operation = 'disclosed' AND detail->>'channel' = 'feed'`);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.actor === 'client:test-receiver' && r.recipient === 'om-zsm' && r.subject_id === null)).toBe(true);
    expect(rows.flatMap((r) => r.detail!['eventIds'] as string[]).sort()).toEqual(served.map((e) => e.id).sort());
    for (const bsn of [syntheticBsn(201), syntheticBsn(202)]) expect(JSON.stringify(rows)).not.toContain(bsn);
  });

  it('waits for the next event when there is none yet (long polling)', async () => {
    const waiting = feed(`?after=${cursor}&wait=15`);
    await until(
      async () => (await bridge.services.metrics.feedWaiting.get()).values[0]?.value ?? 0,
      (n) => n === 1,
      5_000,
    );
    const recordId = await submit('FEED-5', syntheticBsn(203));
    const res = await waiting;
    expect(res.statusCode).toBe(200);
    const got = res.json<Ev[]>();
    expect(got.map((e) => e.data.recordId)).toEqual([recordId]);
    cursor = nextOf(res.headers['link']);
  });

  it('lists the ce_ids of a read once: two clients answered from it get two disclosures, the second naming the first', async () => {
    const a = feed(`?after=${cursor}&wait=15`);
    const b = feed(`?after=${cursor}&wait=15`);
    await until(
      async () => (await bridge.services.metrics.feedWaiting.get()).values[0]?.value ?? 0,
      (n) => n === 2,
      5_000,
    );
    const recordId = await submit('FEED-6', syntheticBsn(204));
    const [ra, rb] = await Promise.all([a, b]);
    expect([ra.statusCode, rb.statusCode]).toEqual([200, 200]);
    expect(ra.body).toBe(rb.body);
    const [event] = ra.json<Ev[]>();
    expect(event!.data.recordId).toBe(recordId);
    cursor = nextOf(ra.headers['link']);
    const [lister, ...others] = await logRows(bridge.services.pool, `operation = 'disclosed' AND detail->'eventIds' ? $1`, [event!.id]);
    expect(others).toEqual([]);
    const { rows } = await bridge.services.pool.query<{ entry_id: string }>(`SELECT entry_id FROM processing_log WHERE id = $1`, [lister!.id]);
    const naming = await logRows(bridge.services.pool, `detail->>'eventIdsIn' = $1`, [rows[0]!.entry_id]);
    expect(naming).toHaveLength(1);
    expect(naming[0]!.detail).toEqual({ channel: 'feed', events: 1, eventIdsIn: rows[0]!.entry_id });
    expect(lister!.detail).toEqual({ channel: 'feed', events: 1, eventIds: [event!.id] });
    // Two retrievals, two traces, in one chain; the named entry comes first.
    expect(new Set([lister!.trace_id, naming[0]!.trace_id]).size).toBe(2);
    expect(BigInt(lister!.id) < BigInt(naming[0]!.id)).toBe(true);
  });

  it('refuses waiting clients past the ceiling with 503 and Retry-After, and frees the wait of a client that leaves', async () => {
    const address = await bridge.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `${address}/v1/feeds/om-zsm/events?after=${cursor}&wait=20`;
    const aborts = [new AbortController(), new AbortController()];
    const pending = aborts.map((a) => fetch(url, { headers: authorization('receiver'), signal: a.signal }).catch(() => undefined));
    const waiting = () =>
      until(
        async () => (await bridge.services.metrics.feedWaiting.get()).values[0]?.value ?? -1,
        (n) => n === 2,
        5_000,
      );
    expect(await waiting()).toBe(2);
    const refused = await fetch(url, { headers: authorization('receiver') });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await refused.json()) as { code: string }).code).toBe('BRIDGE_OVERLOADED');
    for (const a of aborts) a.abort();
    await Promise.all(pending);
    const after = await until(
      async () => (await bridge.services.metrics.feedWaiting.get()).values[0]?.value ?? -1,
      (n) => n === 0,
      5_000,
    );
    expect(after).toBe(0);
  });

  it('is closed alike to a client not bound to the recipient, for known and unknown recipients', async () => {
    const forbidden = await feed('', 'receiver', 'reclassering');
    const unknown = await feed('', 'receiver', 'no-such-recipient');
    expect(forbidden.statusCode).toBe(403);
    expect(unknown.statusCode).toBe(403);
    expect(forbidden.json<{ detail: string }>().detail).toBe(unknown.json<{ detail: string }>().detail);
    expect((await feed('', 'gcos')).statusCode).toBe(403);
    expect((await feed('', 'privacy')).statusCode).toBe(403);
    expect((await bridge.inject({ method: 'GET', url: '/v1/feeds/om-zsm/events' }, null)).statusCode).toBe(401);
  });

  it('refuses malformed, altered and foreign cursors and out-of-range parameters with a problem naming the field', async () => {
    const tampered = Buffer.from(JSON.stringify({ v: 1, r: 'om-zsm', tx: '1; DROP', id: '1', t: Date.now() })).toString('base64url');
    const foreign = encodeCursor({ recipient: 'reclassering', position: { tx: '1', id: '1' }, t: Date.now() });
    for (const q of ['?after=nonsense!', '?after=bm9wZQ', `?after=${tampered}`, `?after=${foreign}`]) {
      const res = await feed(q);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await feed(`?after=${tampered}`)).json<{ errors: { pointer: string }[] }>().errors[0]!.pointer).toBe('/querystring/after');
    for (const q of ['?limit=0', '?limit=100000', '?wait=3600', '?wait=-1', '?types=Not%20A%20Type', '?other=1']) {
      expect((await feed(q)).statusCode, q).toBe(400);
    }
    for (const [q, pointer, code] of [
      ['?limit=0', '/querystring/limit', 'FIELD_OUT_OF_RANGE'],
      ['?limit=five', '/querystring/limit', 'FIELD_TYPE'],
      ['?wait=3600', '/querystring/wait', 'FIELD_OUT_OF_RANGE'],
      ['?other=1', '/querystring/other', 'FIELD_UNKNOWN'],
    ] as const) {
      expect(
        (await feed(q)).json<{ errors: { pointer: string; code: string }[] }>().errors.map((e) => [e.pointer, e.code]),
        q,
      ).toEqual([[pointer, code]]);
    }
  });

  it('answers 410 past the window, naming the cursor to resume from (the oldest event held)', async () => {
    const stale = encodeCursor({ recipient: 'om-zsm', position: { tx: '1', id: '1' }, t: Date.now() - 15 * 86_400_000 });
    const res = await feed(`?after=${stale}`);
    expect(res.statusCode).toBe(410);
    const problem = res.json<{ code: string; resume: string }>();
    expect(problem.code).toBe('BRIDGE_FEED_GONE');
    const resumed = await feed(`?after=${problem.resume}&limit=500`);
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(
      resumed
        .json<Ev[]>()
        .map((e) => e.id)
        .slice(0, served.length),
    ).toEqual(served.map((e) => e.id));
  });

  it('filters on event type', async () => {
    const none = await feed('?types=nl.justitieketen.zsm.advice.expired');
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual([]);
    const all = await feed('?types=nl.justitieketen.zsm.advice.accepted,nl.justitieketen.zsm.advice.expired&limit=500');
    expect(all.json<Ev[]>().length).toBe(served.length + 2); // and FEED-5 and FEED-6, from the long-polling tests
  });

  it('gzips a large page for a client that takes gzip (the same bytes once unzipped), and sends a small one as it is', async () => {
    const zip = { 'accept-encoding': 'gzip, deflate' };
    const small = await bridge.inject({ method: 'GET', url: '/v1/feeds/om-zsm/events?limit=1', headers: zip }, 'receiver');
    expect(small.statusCode).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.headers['vary']).toMatch(/accept-encoding/i);
    // Enough events for a page over GZIP_MIN_BYTES.
    for (let i = 0; i < 16; i++) await submit(`FEED-GZ-${i}`, syntheticBsn(300 + i));
    const plain = await until(
      () => feed('?limit=500'),
      (r) => r.rawPayload.length >= GZIP_MIN_BYTES,
      10_000,
    );
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await bridge.inject({ method: 'GET', url: '/v1/feeds/om-zsm/events?limit=500', headers: zip }, 'receiver');
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toMatch(/^application\/cloudevents-batch\+json/);
    expect(gunzipSync(zipped.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
  });
});
