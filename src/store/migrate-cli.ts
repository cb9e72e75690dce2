// `npm run migrate`: applies pending migrations to DATABASE_URL and exits.
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { migrate } from './migrate.ts';
import { createPool } from './pool.ts';

const logger = createLogger(process.env['LOG_LEVEL'] ?? 'info');
try {
  const config = loadConfig(process.env, ['database']);
  const pool = createPool(config, logger, 'gcos-zsm-bridge-migrate');
  try {
    const { applied } = await migrate(pool, logger);
    logger.info({ applied: applied.length }, applied.length ? 'migrations applied' : 'database is up to date');
  } finally {
    await pool.end();
  }
} catch (err) {
  const message = err instanceof ConfigError ? err.message : `migration failed: ${(err as Error).message}`;
  logger.fatal(message);
  process.exitCode = 1;
}
