// The durability check against the real PostgreSQL and the real (single) Kafka broker (decision 0107). The rules
// for a cluster of three brokers are tested as pure functions (test/unit/deployment/findings.test.ts).
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { until } from '../../support/until.ts';

const bridges: TestBridge[] = [];
const roles: string[] = [];
const kafka = new Kafka({ brokers: inject('kafkaBrokers').split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();

async function serverQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: inject('pgServerUrl') });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin.connect();
});

afterAll(async () => {
  await Promise.all(bridges.map((b) => b.close()));
  await admin.disconnect();
  for (const role of roles) await serverQuery(`DROP ROLE IF EXISTS ${role}`);
});

async function bridge(options: Parameters<typeof startBridge>[0] = {}): Promise<TestBridge> {
  const b = await startBridge({ relay: false, ...options });
  bridges.push(b);
  return b;
}

async function findings(b: TestBridge): Promise<string[]> {
  const m = await b.services.metrics.settingsFindings.get();
  return m.values.filter((v) => v.value > 0).map((v) => `${String(v.labels['check'])}:${String(v.labels['severity'])}`);
}

/** A database URL as a new role that has synchronous_commit off for itself. */
async function urlOfRoleWithoutSyncCommit(): Promise<string> {
  const role = `bridge_nosync_${randomBytes(4).toString('hex')}`;
  roles.push(role);
  await serverQuery(`CREATE ROLE ${role} LOGIN`);
  await serverQuery(`ALTER ROLE ${role} SET synchronous_commit = off`);
  const url = new URL(inject('pgServerUrl'));
  url.username = role;
  url.pathname = '/postgres';
  return url.toString();
}

describe('the PostgreSQL settings', () => {
  it('accepts the default settings of the bridge role', async () => {
    const b = await bridge();
    expect(await b.services.durability.checkPostgres()).toEqual([]);
    expect(await findings(b)).not.toContain('pg_synchronous_commit:refuse');
  });

  it('refuses a role with synchronous_commit off, as that role sees it', async () => {
    const b = await bridge({ databaseUrl: await urlOfRoleWithoutSyncCommit() });
    const refused = await b.services.durability.checkPostgres();
    expect(refused.map((f) => f.check)).toEqual(['pg_synchronous_commit']);
    expect(await findings(b)).toContain('pg_synchronous_commit:refuse');
    expect(b.logs.text()).toContain('synchronous_commit is off for the bridge');
    expect(b.services.durability.refusals().map((f) => f.check)).toEqual(['pg_synchronous_commit']);
    // A refusal that stands while the bridge serves (as a Kafka one does) fails readiness, naming the check.
    const ready = await b.inject({ method: 'GET', url: '/health/ready' }, null);
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ checks: { durability: { status: 'failing', refused: ['pg_synchronous_commit'] } } });
  });

  it('only logs the refusal when the risk is accepted (DURABILITY_CHECKS=warn)', async () => {
    const b = await bridge({ databaseUrl: await urlOfRoleWithoutSyncCommit(), env: { DURABILITY_CHECKS: 'warn' } });
    expect(await b.services.durability.checkPostgres()).toEqual([]);
    expect(await findings(b)).toContain('pg_synchronous_commit:refuse');
    expect(b.logs.text()).toContain('accepted: DURABILITY_CHECKS=warn');
  });
});

describe('the Kafka settings', () => {
  it('reads the replication factor and the topic-level settings in force', async () => {
    const b = await bridge();
    const topic = `${b.config.kafkaTopicPrefix}durability.unclean`;
    // Without waiting for leaders: kafkajs's wait fails now and then on a topic the broker does not yet report.
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic,
          numPartitions: 2,
          replicationFactor: 1,
          configEntries: [
            { name: 'min.insync.replicas', value: '1' },
            { name: 'unclean.leader.election.enable', value: 'true' },
          ],
        },
      ],
    });
    const k = await until(
      () => b.services.admin.describeDurability([topic, b.services.inboundTopic, `${topic}.missing`]).catch(() => ({ brokers: 0, topics: [] })),
      (r) => r.topics.length === 2,
    );
    expect(k.brokers).toBe(1);
    expect(k.topics.map((t) => t.topic).sort()).toEqual([b.services.inboundTopic, topic].sort());
    expect(k.topics.find((t) => t.topic === topic)).toEqual({ topic, replicationFactor: 1, minInsyncReplicas: 1, uncleanLeaderElection: true });
    expect(k.topics.find((t) => t.topic === b.services.inboundTopic)?.uncleanLeaderElection).toBe(false);
  });

  it('on the single broker warns once in the background and stays ready', async () => {
    const b = await bridge();
    const stop = new AbortController();
    const watching = b.services.durability.watchKafka(stop.signal);
    const seen = await until(
      () => findings(b),
      (f) => f.includes('kafka_single_broker:warn'),
    );
    stop.abort();
    await watching;
    expect(seen).toContain('kafka_single_broker:warn');
    expect(b.logs.entries().filter((e) => e['check'] === 'kafka_single_broker')).toHaveLength(1);
    expect(b.services.durability.refusals()).toEqual([]);
    const ready = await b.inject({ method: 'GET', url: '/health/ready' }, null);
    expect(ready.json()).toMatchObject({ checks: { durability: { status: 'ok' } } });
  });
});
