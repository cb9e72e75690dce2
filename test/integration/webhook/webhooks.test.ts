// Webhook push (decision 0111) end to end: advices through the real ingest and database, delivered to receivers
// this test starts on 127.0.0.1, each delivery's Standard Webhooks signature verified by the receiver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { OM_ZSM, syntheticBsn, validAdvice } from '../../support/fixtures.ts';
import { until } from '../../support/until.ts';
import { outOfOrder, startReceiver, type Receiver } from '../../support/webhook-receiver.ts';
import { MAX_SUBSCRIPTIONS_PER_RECIPIENT } from '../../../src/webhook/subscriptions.ts';

let bridge: TestBridge;
const open: Receiver[] = [];
let serial = 0;

const WEBHOOK_ENV = {
  WEBHOOK_TIMEOUT_MS: '1500',
  WEBHOOK_BACKOFF_MIN_MS: '50',
  WEBHOOK_BACKOFF_MAX_MS: '400',
  WEBHOOK_POLL_INTERVAL_MS: '200',
};

beforeAll(async () => {
  bridge = await startBridge({ webhooks: true, env: WEBHOOK_ENV });
});
afterAll(async () => {
  await Promise.all(open.map((r) => r.close().catch(() => undefined)));
  await bridge?.close();
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  open.push(r);
  return r;
}

async function subscribe(b: TestBridge, r: Receiver, body: Record<string, unknown> = {}): Promise<string> {
  const res = await b.inject({ method: 'POST', url: `/v1/recipients/${OM_ZSM}/subscriptions`, payload: { url: r.url, ...body } }, 'privacy');
  expect(res.statusCode, res.body).toBe(201);
  const created = res.json<{ id: string; secret: string }>();
  r.secret = created.secret;
  return created.id;
}

async function unsubscribe(b: TestBridge, id: string): Promise<void> {
  await b.inject({ method: 'DELETE', url: `/v1/recipients/${OM_ZSM}/subscriptions/${id}` }, 'privacy');
}

/** Advices for `subjects` people, `each` per person, interleaved; returns om-zsm's event ids in commit order and the records. */
async function submit(b: TestBridge, subjects: number, each: number): Promise<{ events: string[]; records: string[] }> {
  const events: string[] = [];
  const records: string[] = [];
  const run = ++serial;
  for (let i = 0; i < each; i++) {
    for (let s = 0; s < subjects; s++) {
      const res = await b.inject({
        method: 'POST',
        url: '/v1/advices',
        payload: validAdvice({ adviceId: `WH-${run}-${s}-${i}`, bsn: syntheticBsn(500 + 10 * run + s) }),
      });
      expect(res.statusCode, res.body).toBe(202);
      const id = res.json<{ id: string }>().id;
      records.push(id);
      const { rows } = await b.services.pool.query<{ event_id: string }>(`SELECT event_id FROM outbox WHERE record_id = $1 AND recipient = $2`, [id, OM_ZSM]);
      events.push(rows[0]!.event_id);
    }
  }
  return { events, records };
}

const ids = (r: Receiver, events: readonly string[]) => new Set(r.accepted.map((e) => e.id).filter((id) => events.includes(id)));

describe('webhook subscriptions API', () => {
  it('is for the privacy officer only', async () => {
    for (const as of ['gcos', 'ops'] as const) {
      const res = await bridge.inject({ method: 'GET', url: `/v1/recipients/${OM_ZSM}/subscriptions` }, as);
      expect(res.statusCode).toBe(403);
    }
    expect(
      (await bridge.inject({ method: 'POST', url: `/v1/recipients/${OM_ZSM}/subscriptions`, payload: { url: 'https://example.org/x' } }, null)).statusCode,
    ).toBe(401);
  });

  it('refuses a target that is not https, or that is a private or link-local address, storing nothing', async () => {
    const cases: [string, number][] = [
      ['http://example.org/hook', 400],
      ['https://10.1.2.3/hook', 422],
      ['https://169.254.169.254/latest/meta-data', 422],
      ['https://[fd00::1]/hook', 422],
      ['https://192.168.1.10:8443/hook', 422],
    ];
    for (const [url, status] of cases) {
      const res = await bridge.inject({ method: 'POST', url: `/v1/recipients/${OM_ZSM}/subscriptions`, payload: { url } }, 'privacy');
      expect(res.statusCode, url).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer)).toEqual(['/url']);
    }
    const { rows } = await bridge.services.pool.query(`SELECT url FROM webhook_subscriptions WHERE url <> ALL($1)`, [[]]);
    expect(rows.map((r: { url: string }) => r.url).filter((u) => cases.some(([c]) => c === u))).toEqual([]);
    expect(
      (await bridge.inject({ method: 'POST', url: '/v1/recipients/no-such-recipient/subscriptions', payload: { url: 'https://example.org/x' } }, 'privacy'))
        .statusCode,
    ).toBe(404);
  });

  it('shows the secret once, never in a list, and logs every change in the processing log', async () => {
    const r = await receiver();
    const id = await subscribe(bridge, r, { eventTypes: ['nl.justitieketen.zsm.advice.accepted'] });
    const list = await bridge.inject({ method: 'GET', url: `/v1/recipients/${OM_ZSM}/subscriptions?limit=200` }, 'privacy');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.body).not.toContain(r.secret!);
    expect(list.body).not.toContain('whsec_');
    expect(list.json<{ subscriptions: { id: string }[] }>().subscriptions.map((s) => s.id)).toContain(id);
    for (const q of ['?limit=201', '?limit=0', '?limit=ten']) {
      const refused = await bridge.inject({ method: 'GET', url: `/v1/recipients/${OM_ZSM}/subscriptions${q}` }, 'privacy');
      expect(refused.statusCode, q).toBe(400);
      expect(
        refused.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer),
        q,
      ).toEqual(['/querystring/limit']);
    }
    const one = await bridge.inject({ method: 'GET', url: `/v1/recipients/${OM_ZSM}/subscriptions/${id}` }, 'privacy');
    expect(one.json()).toMatchObject({
      id,
      url: r.url,
      eventTypes: ['nl.justitieketen.zsm.advice.accepted'],
      origin: 'api',
      createdBy: 'client:test-privacy-officer',
    });
    expect((await bridge.inject({ method: 'DELETE', url: `/v1/recipients/${OM_ZSM}/subscriptions/${id}` }, 'privacy')).statusCode).toBe(204);
    expect((await bridge.inject({ method: 'GET', url: `/v1/recipients/${OM_ZSM}/subscriptions/${id}` }, 'privacy')).statusCode).toBe(404);
    const { rows } = await bridge.services.pool.query<{ detail: { change: string } }>(
      `SELECT detail FROM processing_log WHERE operation = 'configured' AND detail ->> 'subscriptionId' = $1 ORDER BY chain_seq`,
      [id],
    );
    expect(rows.map((x) => x.detail.change)).toEqual(['subscription-created', 'subscription-deleted']);
    expect(bridge.logs.text()).not.toContain(r.secret!);
  });
});

describe('webhook subscriptions ceiling', () => {
  it('refuses a subscription past the per-recipient ceiling with 422 naming /url, storing nothing', async () => {
    const { rows } = await bridge.services.pool.query<{ n: string }>(`SELECT count(*) AS n FROM webhook_subscriptions WHERE recipient = $1`, [OM_ZSM]);
    const r = await receiver();
    const made: string[] = [];
    for (let i = Number(rows[0]!.n); i < MAX_SUBSCRIPTIONS_PER_RECIPIENT; i++) made.push(await subscribe(bridge, r));
    const res = await bridge.inject({ method: 'POST', url: `/v1/recipients/${OM_ZSM}/subscriptions`, payload: { url: r.url } }, 'privacy');
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer)).toEqual(['/url']);
    const after = await bridge.services.pool.query<{ n: string }>(`SELECT count(*) AS n FROM webhook_subscriptions WHERE recipient = $1`, [OM_ZSM]);
    expect(Number(after.rows[0]!.n)).toBe(MAX_SUBSCRIPTIONS_PER_RECIPIENT);
    for (const id of made) await unsubscribe(bridge, id);
  });
});

describe('webhook delivery', () => {
  it('delivers signed CloudEvents in structured mode, the recipient view as data, and shows it on the record', async () => {
    const r = await receiver();
    const id = await subscribe(bridge, r);
    const { events, records } = await submit(bridge, 1, 2);
    await until(
      async () => ids(r, events).size,
      (n) => n === 2,
    );
    expect(ids(r, events).size).toBe(2);
    expect(r.badSignatures).toBe(0);
    const first = r.accepted.find((e) => e.id === events[0])!;
    expect(first.headers['content-type']).toBe('application/cloudevents+json');
    expect(first.headers['webhook-id']).toBe(events[0]);
    expect(first).toMatchObject({ specversion: '1.0', type: 'nl.justitieketen.zsm.advice.accepted', datacontenttype: 'application/json' });
    const { rows } = await bridge.services.pool.query<{ payload: string }>(`SELECT payload FROM outbox WHERE event_id = $1`, [events[0]]);
    expect(first.data).toEqual(JSON.parse(rows[0]!.payload));
    const view = await until(
      async () => (await bridge.inject({ method: 'GET', url: `/v1/records/${records[0]}` })).json<{ webhooks: { subscriptionId: string; status: string }[] }>(),
      (v) => v.webhooks.some((w) => w.subscriptionId === id && w.status === 'delivered'),
    );
    expect(view.webhooks.find((w) => w.subscriptionId === id)).toMatchObject({ recipient: OM_ZSM, eventId: events[0], status: 'delivered', attempts: 0 });
    const metrics = await bridge.services.metrics.registry.getSingleMetricAsString('bridge_webhook_deliveries_total');
    expect(metrics).toMatch(/outcome="delivered"} [1-9]/);
    await unsubscribe(bridge, id);
  });

  it('a receiver answering 500 to every third call gets every event, in order per subject', async () => {
    const r = await receiver();
    r.answer = (call) => ({ status: call % 3 === 0 ? 500 : 200 });
    const id = await subscribe(bridge, r);
    const { events } = await submit(bridge, 3, 4);
    await until(
      async () => ids(r, events).size,
      (n) => n === events.length,
      60_000,
    );
    expect(ids(r, events).size).toBe(events.length);
    expect(outOfOrder(r.accepted, events)).toEqual([]);
    expect(r.calls).toBeGreaterThan(events.length); // some calls were answered 500 and sent again
    await unsubscribe(bridge, id);
  });

  it('a receiver that is down, then up, gets everything in order per subject', async () => {
    const r = await receiver();
    const id = await subscribe(bridge, r);
    await r.down();
    const { events } = await submit(bridge, 2, 3);
    const pending = await until(
      async () =>
        (await bridge.inject({ method: 'GET', url: `/v1/recipients/${OM_ZSM}/subscriptions/${id}` }, 'privacy')).json<{
          status: { attempts: number; lastError: string };
        }>(),
      (s) => s.status.attempts >= 2,
    );
    expect(pending.status.lastError).toMatch(/connection failed/);
    await r.up();
    await until(
      async () => ids(r, events).size,
      (n) => n === events.length,
      60_000,
    );
    expect(ids(r, events).size).toBe(events.length);
    expect(outOfOrder(r.accepted, events)).toEqual([]);
    await unsubscribe(bridge, id);
  });

  it('does not follow a redirect', async () => {
    const elsewhere = await receiver();
    const r = await receiver();
    r.answer = () => ({ status: 307, headers: { location: elsewhere.url } });
    const id = await subscribe(bridge, r);
    elsewhere.secret = r.secret;
    await submit(bridge, 1, 1);
    const s = await until(
      async () =>
        (await bridge.inject({ method: 'GET', url: `/v1/recipients/${OM_ZSM}/subscriptions/${id}` }, 'privacy')).json<{
          status: { lastError: string | null };
        }>(),
      (v) => v.status.lastError !== null,
    );
    expect(s.status.lastError).toMatch(/307; redirects are not followed/);
    expect(elsewhere.calls).toBe(0);
    await unsubscribe(bridge, id);
  });

  it('a receiver that does not answer holds only its own subscription', async () => {
    const stuck = await receiver();
    stuck.answer = () => ({ status: 200, delayMs: 60_000 }); // past the attempt's timeout, every time
    const fast = await receiver();
    const stuckId = await subscribe(bridge, stuck);
    const fastId = await subscribe(bridge, fast);
    const { events } = await submit(bridge, 2, 3);
    await until(
      async () => ids(fast, events).size,
      (n) => n === events.length,
      60_000,
    );
    expect(ids(fast, events).size).toBe(events.length);
    expect(ids(stuck, events).size).toBe(0);
    expect(stuck.calls).toBeGreaterThan(0);
    await unsubscribe(bridge, stuckId);
    await unsubscribe(bridge, fastId);
  });
});

describe('webhook dead letters', () => {
  let short: TestBridge;
  beforeAll(async () => {
    short = await startBridge({ webhooks: true, env: { ...WEBHOOK_ENV, WEBHOOK_DELIVERY_DEADLINE_MS: '1000' } });
  });
  afterAll(async () => short?.close());

  it('gives an event up at its deadline with the reason, moves on, and re-drives it with the same webhook-id', async () => {
    const r = await receiver();
    let failing = true;
    r.answer = () => ({ status: failing ? 503 : 204 });
    const id = await subscribe(short, r);
    const base = `/v1/recipients/${OM_ZSM}/subscriptions/${id}`;
    const { events, records } = await submit(short, 1, 2);
    const dead = await until(
      async () =>
        (await short.inject({ method: 'GET', url: `${base}/dead-letters` }, 'privacy')).json<{
          deadLetters: { eventId: string; reason: string; recordId: string }[];
        }>(),
      (v) => v.deadLetters.length === 2,
    );
    expect(dead.deadLetters.map((d) => d.eventId)).toEqual(events);
    expect(dead.deadLetters[0]).toMatchObject({ reason: 'answered 503', recordId: records[0] });
    const view = (await short.inject({ method: 'GET', url: `/v1/records/${records[0]}` })).json<{ webhooks: { subscriptionId: string; status: string }[] }>();
    expect(view.webhooks.find((w) => w.subscriptionId === id)?.status).toBe('dead-letter');

    failing = false;
    expect((await short.inject({ method: 'POST', url: `${base}/dead-letters/${events[0]}/redrive` }, 'privacy')).statusCode).toBe(202);
    await until(
      async () => ids(r, events).size,
      (n) => n === 1,
    );
    expect(r.accepted.filter((e) => events.includes(e.id)).map((e) => e.headers['webhook-id'])).toEqual([events[0]]);
    expect((await short.inject({ method: 'DELETE', url: `${base}/dead-letters/${events[1]}` }, 'privacy')).statusCode).toBe(204);
    const left = await until(
      async () => (await short.inject({ method: 'GET', url: `${base}/dead-letters` }, 'privacy')).json<{ deadLetters: unknown[] }>(),
      (v) => v.deadLetters.length === 0,
    );
    expect(left.deadLetters).toEqual([]);
    const { rows } = await short.services.pool.query<{ change: string }>(
      `SELECT detail ->> 'change' AS change FROM processing_log WHERE operation = 'configured' AND detail ->> 'subscriptionId' = $1 ORDER BY id`,
      [id],
    );
    expect(rows.map((x) => x.change)).toEqual(['subscription-created', 'dead-letter-redriven', 'dead-letter-discarded']);
  });
});

describe('replay to webhook subscriptions (issue 20 item 3)', () => {
  const REASON = 'The receiver lost its store and asks for these events again';

  it('sends a range again to one subscription, same webhook-id, in acceptance order per subject, and logs it with its reason', async () => {
    const r = await receiver();
    const other = await receiver();
    const id = await subscribe(bridge, r);
    const otherId = await subscribe(bridge, other);
    const from = new Date(Date.now() - 1_000).toISOString();
    const { events } = await submit(bridge, 2, 2);
    const to = new Date(Date.now() + 1_000).toISOString();
    await until(
      async () => ids(r, events).size + ids(other, events).size,
      (n) => n === 2 * events.length,
    );
    const firstRound = r.accepted.length;
    const otherRound = other.accepted.length;

    const res = await bridge.inject(
      { method: 'POST', url: `/v1/recipients/${OM_ZSM}/replays`, payload: { from, to, reason: REASON, destination: 'subscription', subscription: id } },
      'privacy',
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ destination: 'subscription', subscriptions: 1, notResent: 0 });
    expect(res.json<{ resent: number }>().resent).toBeGreaterThanOrEqual(events.length);
    const again = await until(
      async () => r.accepted.slice(firstRound).filter((e) => events.includes(e.id)),
      (a) => a.length === events.length,
    );
    expect(new Set(again.map((e) => e.id))).toEqual(new Set(events));
    expect(again.every((e) => e.headers['webhook-id'] === e.id)).toBe(true);
    expect(outOfOrder(again, events)).toEqual([]);
    // Only the subscription asked for; the other got each event once.
    expect(other.accepted.length).toBe(otherRound);
    const { rows } = await bridge.services.pool.query<{ detail: { reason: string; destination: string } }>(
      `SELECT detail FROM processing_log WHERE detail ->> 'channel' = 'replay' AND detail ->> 'destination' = 'subscription'`,
    );
    expect(rows.map((x) => x.detail.reason)).toContain(REASON);
    const left = await bridge.services.pool.query(`SELECT 1 FROM webhook_dead_letters WHERE subscription_id = $1`, [id]);
    expect(left.rowCount).toBe(0); // each re-drive settled
    await unsubscribe(bridge, id);
    await unsubscribe(bridge, otherId);
  });

  it('refuses a subscription the recipient does not have, and a subscription with another destination', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const to = new Date().toISOString();
    const unknown = await bridge.inject(
      {
        method: 'POST',
        url: `/v1/recipients/${OM_ZSM}/replays`,
        payload: { from, to, reason: REASON, destination: 'subscription', subscription: '00000000-0000-4000-8000-000000000000' },
      },
      'privacy',
    );
    expect(unknown.statusCode, unknown.body).toBe(404);
    const mixed = await bridge.inject(
      {
        method: 'POST',
        url: `/v1/recipients/${OM_ZSM}/replays`,
        payload: { from, to, reason: REASON, destination: 'topic', subscription: '00000000-0000-4000-8000-000000000000' },
      },
      'privacy',
    );
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer)).toEqual(['/body/subscription']);
  });
});
