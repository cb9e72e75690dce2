// The rules of the durability check (decision 0107): the PostgreSQL and Kafka settings that "202 means durable" and
// "acknowledged by Kafka means not lost on a broker failure" depend on, as pure functions from settings to findings.

/** refuse: a guarantee is broken (strict: the bridge does not start, or turns not ready); warn: a guarantee holds
 * only while no machine fails; info: worth knowing, no guarantee broken. */
export type Severity = 'refuse' | 'warn' | 'info';

export interface Finding {
  /** Stable name of the rule: the metric's label and the log line's `check`. */
  check: string;
  severity: Severity;
  /** One sentence for the operator: the setting, its value, which guarantee and what to do. No personal data. */
  message: string;
}

/** As the bridge's own role sees them in its own database (`current_setting`, role and database settings apply). */
export interface PostgresSettings {
  synchronousCommit: string;
  synchronousStandbyNames: string;
  fsync: string;
  fullPageWrites: string;
}

export function postgresFindings(s: PostgresSettings): Finding[] {
  const out: Finding[] = [];
  const standby = s.synchronousStandbyNames.trim() !== '';
  const commit = s.synchronousCommit.toLowerCase();
  if (commit === 'off')
    out.push({
      check: 'pg_synchronous_commit',
      severity: 'refuse',
      message:
        'synchronous_commit is off for the bridge: a 202 can be answered before its commit is on disk, so a database crash loses accepted records; set it to on (ALTER ROLE … RESET synchronous_commit)',
    });
  else if (commit === 'local' && standby)
    out.push({
      check: 'pg_synchronous_commit',
      severity: 'refuse',
      message:
        'synchronous_commit is local for the bridge while synchronous_standby_names is set: a 202 does not wait for the standby, so a failover loses accepted records; set it to on or remote_apply',
    });
  if (s.fsync.toLowerCase() === 'off')
    out.push({
      check: 'pg_fsync',
      severity: 'warn',
      message: 'fsync is off on the database server: an operating-system crash or power loss can lose or corrupt committed records (test machines only)',
    });
  if (s.fullPageWrites.toLowerCase() === 'off')
    out.push({
      check: 'pg_full_page_writes',
      severity: 'warn',
      message: 'full_page_writes is off on the database server: a crash during a page write can corrupt the database (test machines only)',
    });
  if (!standby)
    out.push({
      check: 'pg_synchronous_standby',
      severity: 'info',
      message:
        'synchronous_standby_names is empty: commits do not wait for a standby, so a failover to an asynchronous standby can lose the last accepted records (docs/reliability.md)',
    });
  return out;
}

export interface KafkaTopicSettings {
  topic: string;
  /** The smallest replica count over the topic's partitions. */
  replicationFactor: number;
  /** The topic's effective min.insync.replicas (its own or the broker default). */
  minInsyncReplicas: number;
  uncleanLeaderElection: boolean;
}

export interface KafkaSettings {
  brokers: number;
  topics: KafkaTopicSettings[];
}

const list = (topics: KafkaTopicSettings[]) => topics.map((t) => t.topic).join(', ');

/** One finding per rule, naming every topic it applies to, so that a hundred topics make one log line, not a hundred. */
export function kafkaFindings(k: KafkaSettings): Finding[] {
  const out: Finding[] = [];
  if (k.brokers < 2) {
    out.push({
      check: 'kafka_single_broker',
      severity: 'warn',
      message: "the Kafka cluster has one broker: a message Kafka acknowledged is lost with that broker's disk (development only; run three brokers)",
    });
    return out;
  }
  if (k.brokers === 2)
    out.push({
      check: 'kafka_two_brokers',
      severity: 'warn',
      message: 'the Kafka cluster has two brokers: it cannot both keep acknowledged messages and go on accepting writes when one fails; run three',
    });
  const wanted = Math.min(3, k.brokers);
  const lowRf = k.topics.filter((t) => t.replicationFactor < wanted);
  if (lowRf.length > 0)
    out.push({
      check: 'kafka_replication_factor',
      severity: 'refuse',
      message: `replication factor below ${wanted} on a cluster of ${k.brokers} brokers (${list(lowRf)}): a broker failure can lose acknowledged messages; reassign the partitions to ${wanted} replicas`,
    });
  const lowIsr = k.topics.filter((t) => t.minInsyncReplicas < 2);
  if (lowIsr.length > 0)
    out.push({
      check: 'kafka_min_insync_replicas',
      severity: 'refuse',
      message: `min.insync.replicas below 2 (${list(lowIsr)}): acks=all is then acknowledged by the leader alone, and losing it loses the message; set min.insync.replicas=2`,
    });
  const unclean = k.topics.filter((t) => t.uncleanLeaderElection);
  if (unclean.length > 0)
    out.push({
      check: 'kafka_unclean_leader_election',
      severity: 'refuse',
      message: `unclean.leader.election.enable is true (${list(unclean)}): a replica that missed acknowledged messages may become leader and drop them; set it to false`,
    });
  const stopped = k.topics.filter((t) => t.minInsyncReplicas >= 2 && t.minInsyncReplicas >= t.replicationFactor);
  if (stopped.length > 0)
    out.push({
      check: 'kafka_no_spare_replica',
      severity: 'warn',
      message: `min.insync.replicas is not below the replication factor (${list(stopped)}): one broker down stops every write to these topics (nothing is lost; the outbox waits)`,
    });
  return out;
}

/** Refusals count only in strict mode; in warn mode the operator has accepted the risk (DURABILITY_CHECKS=warn). */
export function refusing(findings: Finding[], mode: 'strict' | 'warn'): Finding[] {
  return mode === 'strict' ? findings.filter((f) => f.severity === 'refuse') : [];
}
