import { uncertainIfLost, type Pool, type PoolClient } from './pool.ts';

// Serialization failure = 40001, deadlock = 40P01: both are safe to retry from the start.
const RETRIABLE = new Set(['40001', '40P01']);

export interface TransactionOptions {
  retries?: number;
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
}

/** Runs fn in one transaction on one connection; commits on success, rolls back on any error. A connection lost
 * during the COMMIT throws CommitUncertainError; lost before it, the transaction was rolled back. */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  return retryingOnConnection(pool, options.retries ?? 3, 'ROLLBACK', async (client) => {
    await client.query(options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}` : 'BEGIN');
    const result = await fn(client);
    await client.query('COMMIT').catch((err: unknown) => {
      throw uncertainIfLost(err);
    });
    return result;
  });
}

/** Runs fn on one connection without an explicit transaction: for work whose only write is one statement, which
 * is a transaction of its own (decision 0096). A deadlock or serialization failure rolled that statement back,
 * so fn runs again from the start, as withTransaction does. */
export async function withStatements<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>, retries = 3): Promise<T> {
  return retryingOnConnection(pool, retries, 'SELECT 1', fn);
}

/** Runs `run` on a connection of the pool, again from the start after a retriable error. After any error,
 * `recovery` ends what `run` left open (ROLLBACK) or merely tries the connection (SELECT 1): a connection that
 * cannot answer it is gone and is not returned to the pool. */
async function retryingOnConnection<T>(pool: Pool, retries: number, recovery: string, run: (client: PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    let broken = false;
    try {
      return await run(client);
    } catch (err) {
      try {
        await client.query(recovery);
      } catch {
        broken = true;
      }
      const code = (err as { code?: string }).code;
      if (code && RETRIABLE.has(code) && attempt < retries) continue;
      throw err;
    } finally {
      client.release(broken);
    }
  }
}
