// Once per test run: find PostgreSQL and Kafka, build a migrated template database, hand both to the tests,
// and afterwards drop every database and topic this run made.
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { createKafka } from '../../src/kafka/client.ts';
import { createKafkaAdmin } from '../../src/kafka/admin.ts';
import { createLogger } from '../../src/logger.ts';
import { writeTestClients, type TestClientsFile } from './clients.ts';
import { createDatabase, dropDatabasesLike } from '../../harness/database.ts';
import { provisionKafka, provisionPostgres } from './provision.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    templateDatabase: string;
    kafkaBrokers: string;
    runId: string;
    testClients: TestClientsFile;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logger = createLogger('warn');
  const runId = `t${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const [pgServer, kafka] = await Promise.all([provisionPostgres(), provisionKafka()]);
  process.stdout.write(`integration services: PostgreSQL via ${pgServer.how}; Kafka via ${kafka.how} (${kafka.url}); run ${runId}\n`);

  const template = `bridge_${runId}_tpl`;
  await createDatabase(pgServer.url, template, { migrate: true });

  project.provide('pgServerUrl', pgServer.url);
  project.provide('templateDatabase', template);
  project.provide('kafkaBrokers', kafka.url);
  project.provide('runId', runId);
  const clients = await writeTestClients();
  project.provide('testClients', { path: clients.path, tokens: clients.tokens });

  return async () => {
    clients.remove();
    await dropDatabasesLike(pgServer.url, `bridge_${runId}_%`);
    const admin = createKafkaAdmin(createKafka({ kafkaBrokers: kafka.url.split(','), kafkaClientId: 'test-cleanup' }, logger));
    try {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${runId}.`));
      await admin.deleteTopics(topics);
    } catch (err) {
      process.stdout.write(`could not delete this run's topics: ${(err as Error).message}\n`);
    } finally {
      await admin.close();
    }
    await Promise.all([pgServer.stop(), kafka.stop()]);
  };
}
