import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { migrate } from '../store/migrate.ts';
import { createPool } from '../store/pool.ts';

export async function run(): Promise<number> {
  const logger = createLogger(process.env['LOG_LEVEL'] ?? 'info');
  try {
    const config = loadConfig(process.env, ['database']);
    const pool = createPool(config, logger, 'gcos-zsm-bridge-migrate');
    try {
      const { applied } = await migrate(pool, logger);
      logger.info({ applied: applied.length }, applied.length ? 'migrations applied' : 'database is up to date');
      return 0;
    } finally {
      await pool.end();
    }
  } catch (err) {
    logger.fatal(err instanceof ConfigError ? err.message : `migration failed: ${(err as Error).message}`);
    return 1;
  }
}
