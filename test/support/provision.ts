// Real services for the integration tests, in this order of preference:
//   1. DATABASE_URL / KAFKA_BROKERS when set (CI services, a developer's own stack);
//   2. testcontainers, where a Docker engine answers;
//   3. this machine's own PostgreSQL server and the project's Kafka script (machines without Docker).
// Never a mock: when none of these works the run fails, it does not skip.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pgRefusal } from '../../harness/pg-admin.ts';

export interface Provisioned {
  url: string;
  how: string;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function dockerAnswers(): boolean {
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5_000, encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

/** A server that is starting up or briefly out of connection slots gets a few seconds before the run gives up. */
async function pgRefusalAfterRetries(url: string, attempts = 10): Promise<string | undefined> {
  let refusal: string | undefined;
  for (let i = 0; i < attempts; i++) {
    refusal = await pgRefusal(url, 3_000);
    if (refusal === undefined) return undefined;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return refusal;
}

/** A PostgreSQL server on which the tests may create and drop databases. */
export async function provisionPostgres(): Promise<Provisioned> {
  const given = process.env['DATABASE_URL'];
  if (given) return { url: given, how: 'DATABASE_URL', stop: async () => undefined };
  if (dockerAnswers()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const c = await new PostgreSqlContainer('postgres:16-alpine').start();
    return { url: c.getConnectionUri(), how: 'testcontainers postgres:16-alpine', stop: async () => void (await c.stop()) };
  }
  const local = process.env['TEST_LOCAL_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const refusal = await pgRefusalAfterRetries(local);
  if (refusal === undefined) return { url: local, how: `local server ${new URL(local).host}`, stop: async () => undefined };
  throw new Error(
    `No PostgreSQL for the integration tests (${new URL(local).host} said: ${refusal}): set DATABASE_URL, run a Docker engine, or start the local server on 127.0.0.1:5432`,
  );
}

/** A Kafka broker the tests may create and delete topics on. */
export async function provisionKafka(): Promise<Provisioned> {
  const given = process.env['KAFKA_BROKERS'];
  if (given) return { url: given, how: 'KAFKA_BROKERS', stop: async () => undefined };
  if (dockerAnswers()) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const c = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
    return { url: `${c.getHost()}:${c.getMappedPort(9093)}`, how: 'testcontainers cp-kafka 7.9 (Kafka 3.9)', stop: async () => void (await c.stop()) };
  }
  // The script reuses a broker already listening on 9092 and leaves it running for the next run.
  const r = spawnSync('bash', [`${ROOT}scripts/kafka.sh`, 'start'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
  if (r.status !== 0) throw new Error('No Kafka for the integration tests: scripts/kafka.sh start failed (needs Java 17+ and Maven)');
  return { url: '127.0.0.1:9092', how: 'scripts/kafka.sh (Apache Kafka 3.9, KRaft)', stop: async () => undefined };
}
