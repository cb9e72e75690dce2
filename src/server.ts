// Process entry: configuration, logger, database check, HTTP, relay, jobs; and a graceful close on SIGTERM/SIGINT.
import app from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createHttpServer } from './http/create-server.ts';
import { createShutdownGate, stopAccepting } from './http/shutdown.ts';
import { createLogger, type Logger } from './logger.ts';
import { startTracing } from './observability/tracing-sdk.ts';
import { PolicyError } from './exchange/policy-load.ts';
import { RegionDataError } from './regions/regions.ts';
import { closeServices, createServices, ensureTopics, startWebhooks, type Services } from './services.ts';
import { checkDatabase } from './store/startup-check.ts';
import { migrate } from './store/migrate.ts';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      // One message naming every problem; no stack trace for an operator's typo.
      process.stderr.write(`gcos-zsm-bridge: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  routeProcessWarnings(logger);
  // Before the services: the pool and the app are built with the instrumentations in place (decision 0108).
  if (startTracing({ otlpEndpoint: config.otelExporterOtlpEndpoint, serviceName: config.otelServiceName })) {
    logger.info('tracing on: spans are exported over OTLP');
  }
  let services: Services;
  try {
    services = createServices(config, logger);
  } catch (err) {
    if (err instanceof PolicyError || err instanceof RegionDataError) {
      // Like a configuration error: one message naming every place to fix, and no stack trace.
      process.stderr.write(`gcos-zsm-bridge: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }

  const problem = await checkDatabase(services.pool, config.databaseUrl, config.migrateOnStart);
  if (problem) return fail(logger, problem, services.pool);
  if (config.migrateOnStart) await migrate(services.pool, logger);
  const notMigrated = await checkDatabase(services.pool, config.databaseUrl, false);
  if (notMigrated) return fail(logger, notMigrated, services.pool);
  if ((await services.durability.checkPostgres()).length > 0)
    return fail(logger, 'PostgreSQL settings break a guarantee (the lines above; DURABILITY_CHECKS=warn accepts the risk)', services.pool, 78);

  const topics = new AbortController();
  // The inbound consumer subscribes once its topic exists; neither holds up the start.
  void ensureTopics(services, topics.signal).then(() => (config.inboundEnabled && !topics.signal.aborted ? services.inbound.start() : undefined));
  void services.durability.watchKafka(topics.signal);

  const server = createHttpServer({ logger, bodyLimitBytes: config.bodyLimitBytes, requestTimeoutMs: config.requestTimeoutMs, tls: config.tls });
  const shutdown = createShutdownGate();
  await server.register(app, { services, shutdown });
  await server.listen({ port: config.port, host: config.host });
  if (config.relayEnabled) services.relay.start();
  if (config.webhookEnabled) await startWebhooks(services);
  if (config.jobsEnabled) services.scheduler.start();

  const close = async (signal: string) => {
    if (shutdown.stopping) return;
    // Readiness fails from here on, and every answer says Connection: close (decision 0106).
    shutdown.begin();
    logger.info({ signal, drainMs: config.shutdownDrainMs }, 'shutting down: not ready, still serving while the load balancer notices');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    topics.abort();
    try {
      await new Promise((r) => setTimeout(r, config.shutdownDrainMs));
      logger.info('drained: no new connections, answering the requests received');
      await stopAccepting(server.server);
      await server.close(); // closes idle connections, waits for the requests in flight
      logger.debug('http closed');
      await closeServices(services); // jobs, relay (finishes its batch), Kafka clients, pool
      logger.info('shut down cleanly');
      // Everything of ours is closed. Should a library still hold a socket, it must not keep a stopping
      // process alive until the orchestrator kills it.
      setTimeout(() => {
        logger.warn({ resources: process.getActiveResourcesInfo() }, 'open handles remain after shutdown; exiting');
        process.exit(0);
      }, 1_000).unref();
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
      process.exitCode = 1;
    }
  };
  process.once('SIGTERM', () => void close('SIGTERM'));
  process.once('SIGINT', () => void close('SIGINT'));
}

/** Process warnings go to the JSON log. kafkajs 2.2.4 arms timers with negative delays, which Node 23+ clamps to
 * 1 ms and reports (kafkajs issue #1751); the request queue's, the one seen here, is fixed in
 * src/kafka/request-queue-fix.ts, and the warning stays dropped should another path arm one. */
function routeProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name !== 'TimeoutNegativeWarning') logger.warn({ warning: w.name }, w.message);
  });
}

async function fail(logger: Logger, message: string, pool: { end(): Promise<void> }, code = 1): Promise<void> {
  logger.fatal(message);
  await pool.end().catch(() => undefined);
  process.exitCode = code;
}

await main();
