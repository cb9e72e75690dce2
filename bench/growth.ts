// Growth: the tables as a bridge finds them after a long time in service, written in SQL in one go
// (INSERT ... SELECT generate_series) before the bridge starts.
//   million: 1,000,000 accepted advices with their delivered outbox rows, recipients and processing-log entries
//            (every index the migrations define is filled; the seeded bodies are small, see docs/performance.md);
//   backlog: undelivered outbox rows of the real message size, which the relay drains while the load runs.
import { readFileSync } from 'node:fs';
import { withClient } from '../harness/pg-admin.ts';
import { topicName } from '../src/kafka/topics.ts';

const EXAMPLE = readFileSync(new URL('../schemas/examples/advice.valid.json', import.meta.url), 'utf8');
const RECIPIENTS = ['om-zsm', 'reclassering', 'slachtofferhulp'];

async function run(databaseUrl: string, statements: [string, unknown[]][]): Promise<void> {
  // One session for all: a SET applies to the statements after it.
  await withClient(databaseUrl, async (c) => {
    for (const [sql, params] of statements) await c.query(sql, params);
  });
}

/** `count` records that have been accepted, relayed and logged long ago. */
export async function seedStoredRecords(databaseUrl: string, count: number): Promise<void> {
  await run(databaseUrl, [
    ['SET synchronous_commit = off', []],
    [
      /* sql */ `INSERT INTO records (id, kind, source, external_id, version, content_hash, subject_key, body, receipt, status, trace_id, received_at, valid_until)
      SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'advice', '00000001823288444000', 'SEED-' || g, 1,
        sha256(int4send(g)), 'k1.seed' || lpad((g % 200000)::text, 15, '0'),
        jsonb_build_object('adviceId', 'SEED-' || g, 'zsmCaseReference', '10/' || lpad((g % 900000)::text, 6, '0') || '-25', 'validUntil', (current_date + 30)::text),
        jsonb_build_object('id', g, 'status', 'accepted'), 'accepted', md5(g::text), now() - make_interval(secs => g), current_date + 30
      FROM generate_series(1, $1::int) g`,
      [count],
    ],
    [
      /* sql */ `INSERT INTO outbox (record_id, event_id, event_type, recipient, topic, message_key, slot, headers, payload, created_at, attempts, delivered_at)
      SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, gen_random_uuid(), 'nl.justitieketen.zsm.advice.accepted', 'om-zsm',
        'seed.bridge.advice.om-zsm.v1', 'k1.seed' || lpad((g % 200000)::text, 15, '0'), (g % 64)::smallint, '{}'::jsonb, '{}',
        now() - make_interval(secs => g), 1, now() - make_interval(secs => g)
      FROM generate_series(1, $1::int) g`,
      [count],
    ],
    [
      /* sql */ `INSERT INTO record_recipients (record_id, recipient, topic, message_key)
      SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'om-zsm', 'seed.bridge.advice.om-zsm.v1', 'k1.seed' || lpad((g % 200000)::text, 15, '0')
      FROM generate_series(1, $1::int) g`,
      [count],
    ],
    // Chain positions 1..n per chain, so the bridge's own entries follow on from them.
    [
      /* sql */ `INSERT INTO processing_log (entry_id, chain, chain_seq, operation, status, trace_id, actor, subject_id, record_id, record_kind,
        legal_basis, purpose, processing_activity, started_at, ended_at, detail, prev_hash, hash)
      SELECT gen_random_uuid(), g % 16, g / 16 + 1, 'received', 'ok', md5(g::text), 'client:seed', 'k1.seed' || lpad((g % 200000)::text, 15, '0'),
        ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'advice', 'wgs-art-2', 'zsm-advisering', 'urn:seed',
        now() - make_interval(secs => g), now() - make_interval(secs => g), '{}'::jsonb, sha256(int4send(g - 16)), sha256(int4send(g))
      FROM generate_series(1, $1::int) g`,
      [count],
    ],
    ['ANALYZE', []],
  ]);
}

/** `count` messages waiting in the outbox, with a payload the size of a real one, for the bridge's topics. */
export async function seedBacklog(databaseUrl: string, count: number, topicPrefix: string): Promise<void> {
  const payload = JSON.stringify({
    recordId: '00000000-0000-4000-8000-000000000000',
    kind: 'advice',
    acceptedAt: new Date().toISOString(),
    record: JSON.parse(EXAMPLE) as unknown,
  });
  const topics = RECIPIENTS.map((r) => topicName(topicPrefix, 'advice', r));
  await run(databaseUrl, [
    ['SET synchronous_commit = off', []],
    [
      /* sql */ `INSERT INTO records (id, kind, source, external_id, version, content_hash, subject_key, body, receipt, trace_id, valid_until)
      SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, 'advice', '00000001823288444000', 'BACKLOG-' || g, 1, sha256(int4send(g)),
        'k1.backlog' || lpad((g % 5000)::text, 12, '0'), '{}'::jsonb, '{}'::jsonb, md5(g::text), current_date + 30
      FROM generate_series(1, ceil($1::int / 3.0)::int) g`,
      [count],
    ],
    [
      /* sql */ `INSERT INTO outbox (record_id, event_id, event_type, recipient, topic, message_key, slot, headers, payload)
      SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(g / 3 + 1), 12, '0'))::uuid, gen_random_uuid(), 'nl.justitieketen.zsm.advice.accepted',
        ($3::text[])[g % 3 + 1], ($4::text[])[g % 3 + 1], 'k1.backlog' || lpad(((g / 3 + 1) % 5000)::text, 12, '0'), ((g / 3) % 64)::smallint,
        jsonb_build_object('ce_specversion', '1.0', 'ce_id', gen_random_uuid(), 'ce_type', 'nl.justitieketen.zsm.advice.accepted', 'content-type', 'application/json'), $2
      FROM generate_series(0, $1::int - 1) g`,
      [count, payload, RECIPIENTS, topics],
    ],
    ['ANALYZE', []],
  ]);
}
