// Builds the OpenAPI document without a database or broker: the app's routes are registered on an instance that
// never listens, and no connection is opened (pg and kafkajs connect lazily).
import app from '../app.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createServices } from '../services.ts';
import { createHttpServer } from './create-server.ts';

export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const config = loadConfig({
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    KAFKA_BROKERS: '127.0.0.1:1',
    BRIDGE_OIN: '00000000000000000000',
    PSEUDONYM_KEY: 'only-used-to-build-the-openapi-document',
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger('silent');
  const services = createServices(config, logger);
  const server = createHttpServer({ logger, bodyLimitBytes: config.bodyLimitBytes, requestTimeoutMs: config.requestTimeoutMs, tls: config.tls });
  await server.register(app, { services });
  await server.ready();
  const doc = server.swagger() as unknown as Record<string, unknown>;
  await server.close();
  await services.pool.end();
  return doc;
}
