// `npm run audit:verify` (`gcos-zsm-bridge audit-verify`): walks the processing log's hash chains and names the
// first broken link of each. Exit 0 when intact, 1 when broken, 2 when it could not check.
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { describeVerification, verifyProcessingLog } from '../processing-log/verify.ts';
import { createPool } from '../store/pool.ts';

export async function run(): Promise<number> {
  const logger = createLogger(process.env['LOG_LEVEL'] ?? 'warn');
  let config;
  try {
    config = loadConfig(process.env, ['database']);
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
    return 2;
  }
  const pool = createPool(config, logger, 'gcos-zsm-bridge-audit-verify');
  try {
    const v = await verifyProcessingLog(pool);
    process.stdout.write(`${describeVerification(v).join('\n')}\n`);
    for (const h of v.heads) process.stdout.write(`  chain ${h.chain}: ${h.chainSeq} entries, head ${h.hash}\n`);
    return v.intact ? 0 : 1;
  } catch (err) {
    process.stderr.write(`could not verify the processing log: ${(err as Error).message}\n`);
    return 2;
  } finally {
    await pool.end();
  }
}
