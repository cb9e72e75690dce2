// The durability rules as pure functions: settings in, findings out (decision 0107).
import { describe, expect, it } from 'vitest';
import { kafkaFindings, postgresFindings, refusing, type KafkaTopicSettings, type PostgresSettings } from '../../../src/deployment/findings.ts';

const safePg: PostgresSettings = { synchronousCommit: 'on', synchronousStandbyNames: '*', fsync: 'on', fullPageWrites: 'on' };
const checks = (fs: { check: string; severity: string }[]) => fs.map((f) => `${f.check}:${f.severity}`).sort();

describe('the PostgreSQL rules', () => {
  it('finds nothing on a primary with a synchronous standby and the defaults', () => {
    expect(postgresFindings(safePg)).toEqual([]);
    expect(postgresFindings({ ...safePg, synchronousCommit: 'remote_apply' })).toEqual([]);
  });

  it('refuses synchronous_commit off, with or without a standby', () => {
    expect(checks(postgresFindings({ ...safePg, synchronousCommit: 'off' }))).toEqual(['pg_synchronous_commit:refuse']);
    expect(checks(postgresFindings({ ...safePg, synchronousCommit: 'OFF', synchronousStandbyNames: '' }))).toContain('pg_synchronous_commit:refuse');
  });

  it('refuses synchronous_commit local only when a synchronous standby is configured', () => {
    expect(checks(postgresFindings({ ...safePg, synchronousCommit: 'local' }))).toEqual(['pg_synchronous_commit:refuse']);
    expect(checks(postgresFindings({ ...safePg, synchronousCommit: 'local', synchronousStandbyNames: ' ' }))).toEqual(['pg_synchronous_standby:info']);
  });

  it('warns on fsync and full_page_writes off, and never refuses them', () => {
    const f = postgresFindings({ ...safePg, fsync: 'off', fullPageWrites: 'off' });
    expect(checks(f)).toEqual(['pg_fsync:warn', 'pg_full_page_writes:warn']);
    expect(refusing(f, 'strict')).toEqual([]);
  });

  it('tells (info) that commits do not wait for a standby when none is named', () => {
    expect(checks(postgresFindings({ ...safePg, synchronousStandbyNames: '' }))).toEqual(['pg_synchronous_standby:info']);
  });
});

const topic = (name: string, rf: number, isr: number, unclean = false): KafkaTopicSettings => ({
  topic: name,
  replicationFactor: rf,
  minInsyncReplicas: isr,
  uncleanLeaderElection: unclean,
});

describe('the Kafka rules', () => {
  it('finds nothing on three brokers with replication factor 3, min.insync.replicas 2, no unclean election', () => {
    expect(kafkaFindings({ brokers: 3, topics: [topic('a', 3, 2), topic('b', 3, 2)] })).toEqual([]);
    expect(kafkaFindings({ brokers: 5, topics: [topic('a', 3, 2)] })).toEqual([]);
  });

  it('on one broker warns once, whatever the topics say', () => {
    const f = kafkaFindings({ brokers: 1, topics: [topic('a', 1, 1), topic('b', 1, 1, true)] });
    expect(checks(f)).toEqual(['kafka_single_broker:warn']);
    expect(refusing(f, 'strict')).toEqual([]);
  });

  it('on three brokers refuses replication factor below 3, naming every such topic in one finding', () => {
    const f = kafkaFindings({ brokers: 3, topics: [topic('a', 1, 2), topic('b', 2, 2), topic('c', 3, 2)] });
    expect(checks(f)).toEqual(['kafka_no_spare_replica:warn', 'kafka_replication_factor:refuse']);
    const rf = f.find((x) => x.check === 'kafka_replication_factor')!;
    expect(rf.message).toContain('a, b');
    expect(rf.message).not.toContain('c)');
  });

  it('on three brokers refuses min.insync.replicas below 2 and unclean leader election', () => {
    expect(checks(kafkaFindings({ brokers: 3, topics: [topic('a', 3, 1)] }))).toEqual(['kafka_min_insync_replicas:refuse']);
    expect(checks(kafkaFindings({ brokers: 3, topics: [topic('a', 3, 2, true)] }))).toEqual(['kafka_unclean_leader_election:refuse']);
  });

  it('warns when min.insync.replicas equals the replication factor: one broker down stops writes', () => {
    expect(checks(kafkaFindings({ brokers: 3, topics: [topic('a', 3, 3)] }))).toEqual(['kafka_no_spare_replica:warn']);
  });

  it('on two brokers warns, and asks for replication factor 2 and min.insync.replicas 2', () => {
    expect(checks(kafkaFindings({ brokers: 2, topics: [topic('a', 2, 1)] }))).toEqual(['kafka_min_insync_replicas:refuse', 'kafka_two_brokers:warn']);
    expect(checks(kafkaFindings({ brokers: 2, topics: [topic('a', 1, 2)] }))).toContain('kafka_replication_factor:refuse');
  });

  it('keeps the refusals in strict mode and none in warn mode', () => {
    const f = kafkaFindings({ brokers: 3, topics: [topic('a', 3, 1)] });
    expect(refusing(f, 'strict').map((x) => x.check)).toEqual(['kafka_min_insync_replicas']);
    expect(refusing(f, 'warn')).toEqual([]);
  });
});
